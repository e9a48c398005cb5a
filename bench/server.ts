export async function benchServer(_repo: string): Promise<void> {}
