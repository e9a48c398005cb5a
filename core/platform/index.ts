// Every OS-specific path, URI, file-system quirk and process operation of the project goes through this folder.
export * from './platform';
export * from './uri';
export * from './processTree';
export * from './fileSystem';
