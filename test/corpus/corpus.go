package corpus

import (
	_ "github.com/gin-gonic/gin"
	_ "github.com/go-chi/chi/v5"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/gorilla/mux"
	_ "github.com/json-iterator/go"
	_ "github.com/patrickmn/go-cache"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/sirupsen/logrus"
	_ "github.com/spf13/cobra"
	_ "go.uber.org/zap"
	_ "go.uber.org/zap/zapcore"
)
