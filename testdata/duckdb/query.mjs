// Runs one SQL query with DuckDB and prints its rows as JSON (node query.mjs "SQL").
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const result = await conn.runAndReadAll(process.argv[2]);
console.log(JSON.stringify(result.getRowObjectsJson()));
