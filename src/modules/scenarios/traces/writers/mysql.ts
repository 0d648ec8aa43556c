/**
 * MySQL 5.7 general query log (log_output=FILE, log_timestamps=UTC): `TIME\t%5u COMMAND\tARGUMENT`, as
 * File_query_log::write_general writes it, after the start banner. Times carry microseconds; a record's time
 * in the bundle is a fractional millisecond so the file stays in order to the microsecond.
 */
import type { LogFile } from '../bundle.js';
import { isoUtcMicros } from '../clock.js';
import type { Random } from '../random.js';

export function mysqlBanner(version: string, socket: string, port = 3306): string[] {
  return [`/usr/sbin/mysqld, Version: ${version}. started with:`, `Tcp port: ${port}  Unix socket: ${socket}`, 'Time                 Id Command    Argument'];
}

export type MysqlCommand = 'Connect' | 'Query' | 'Quit' | 'Init DB' | 'Field List' | 'Prepare' | 'Execute' | 'Close stmt';

export class MysqlServer {
  private thread: number;
  /** Last record time per thread: a session's statements stay in the order they were sent. */
  private readonly lastAt = new Map<number, number>();

  constructor(
    readonly file: LogFile,
    private readonly rng: Random,
    firstThread: number,
  ) {
    this.thread = firstThread;
  }

  private write(t: number, id: number, command: MysqlCommand | string, argument: string, step?: string): number {
    let micros = Math.floor(t) * 1000 + this.rng.int(0, 999);
    const last = this.lastAt.get(id);
    if (last !== undefined && micros <= last) micros = last + this.rng.int(30, 400);
    this.lastAt.set(id, micros);
    const ms = Math.floor(micros / 1000);
    this.file.add(ms + (micros % 1000) / 1000, `${isoUtcMicros(ms, micros % 1000)}\t${String(id).padStart(5, ' ')} ${command}\t${argument}`, step);
    return ms;
  }

  /** A new connection; returns its thread id. `via`: Socket for localhost, TCP/IP otherwise. */
  connect(t: number, user: string, host: string, db: string, via: 'Socket' | 'TCP/IP' | 'SSL/TLS', step?: string): number {
    const id = ++this.thread;
    this.write(t, id, 'Connect', `${user}@${host} on ${db} using ${via}`, step);
    return id;
  }

  /** A refused login (wrong password): MySQL logs it as a Connect record of a thread that then ends. */
  accessDenied(t: number, user: string, host: string, usingPassword = true, step?: string): void {
    const id = ++this.thread;
    this.write(t, id, 'Connect', `Access denied for user '${user}'@'${host}' (using password: ${usingPassword ? 'YES' : 'NO'})`, step);
  }

  query(t: number, id: number, sql: string, step?: string): number {
    return this.write(t, id, 'Query', sql, step);
  }

  initDb(t: number, id: number, db: string, step?: string): number {
    return this.write(t, id, 'Init DB', db, step);
  }

  quit(t: number, id: number, step?: string): number {
    const at = this.write(t, id, 'Quit', '', step);
    this.lastAt.delete(id);
    return at;
  }
}

/** Quotes a string the way an application's driver would inline it. */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** What mysql-connector-java 5.1 sends when it opens a connection. */
export const JDBC_INIT = [
  '/* mysql-connector-java-5.1.47 ( Revision: fe1903b1ecb4a96a917f7ed3190d80c049b1de29 ) */SELECT  @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS character_set_client, @@character_set_connection AS character_set_connection, @@character_set_results AS character_set_results, @@character_set_server AS character_set_server, @@collation_server AS collation_server, @@collation_connection AS collation_connection, @@init_connect AS init_connect, @@interactive_timeout AS interactive_timeout, @@license AS license, @@lower_case_table_names AS lower_case_table_names, @@max_allowed_packet AS max_allowed_packet, @@net_buffer_length AS net_buffer_length, @@net_write_timeout AS net_write_timeout, @@query_cache_size AS query_cache_size, @@query_cache_type AS query_cache_type, @@sql_mode AS sql_mode, @@system_time_zone AS system_time_zone, @@time_zone AS time_zone, @@transaction_isolation AS transaction_isolation, @@wait_timeout AS wait_timeout',
  'SET NAMES utf8mb4',
  'SET character_set_results = NULL',
  'SET autocommit=1',
];

/**
 * A mysqldump 5.7 run (`--single-transaction` when `consistent`) as the general log shows it: one connection,
 * the session setup, then per table its definition and a `SELECT /*!40001 SQL_NO_CACHE *\/ * FROM` of all rows.
 * Returns when it ended.
 */
export function mysqldump(
  server: MysqlServer,
  t: number,
  o: { user: string; host?: string; db: string; tables: string[]; consistent: boolean; msPerTable: (table: string) => number; step?: string },
): number {
  const s = o.step;
  const id = server.connect(t, o.user, o.host ?? 'localhost', '', o.host ? 'TCP/IP' : 'Socket', s);
  let at = t + 2;
  const q = (sql: string, gap = 1) => {
    at += gap;
    server.query(at, id, sql, s);
  };
  q("/*!40100 SET @@SQL_MODE='' */");
  q("/*!40103 SET TIME_ZONE='+00:00' */");
  if (o.consistent) {
    q('FLUSH /*!40101 LOCAL */ TABLES', 3);
    q('FLUSH TABLES WITH READ LOCK', 2);
    q('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    q('START TRANSACTION /*!40100 WITH CONSISTENT SNAPSHOT */');
    q("SHOW VARIABLES LIKE 'gtid\\_mode'");
    q('UNLOCK TABLES');
  } else {
    q("SHOW VARIABLES LIKE 'gtid\\_mode'");
  }
  q(
    `SELECT LOGFILE_GROUP_NAME, FILE_NAME, TOTAL_EXTENTS, INITIAL_SIZE, ENGINE, EXTRA FROM INFORMATION_SCHEMA.FILES WHERE FILE_TYPE = 'UNDO LOG' AND FILE_NAME IS NOT NULL AND LOGFILE_GROUP_NAME IS NOT NULL AND LOGFILE_GROUP_NAME IN (SELECT DISTINCT LOGFILE_GROUP_NAME FROM INFORMATION_SCHEMA.FILES WHERE FILE_TYPE = 'DATAFILE' AND TABLESPACE_NAME IN (SELECT DISTINCT TABLESPACE_NAME FROM INFORMATION_SCHEMA.PARTITIONS WHERE TABLE_SCHEMA IN ('${o.db}'))) GROUP BY LOGFILE_GROUP_NAME, FILE_NAME, ENGINE, TOTAL_EXTENTS, INITIAL_SIZE ORDER BY LOGFILE_GROUP_NAME`,
  );
  q("SHOW VARIABLES LIKE 'ndbinfo\\_version'");
  at += 1;
  server.initDb(at, id, o.db, s);
  if (o.consistent) {
    q(`SHOW CREATE DATABASE IF NOT EXISTS \`${o.db}\``);
    q('SAVEPOINT sp');
  }
  if (o.tables.length > 1) q('show tables');
  else q(`LOCK TABLES \`${o.tables[0]}\` READ /*!32311 LOCAL */`);
  for (const table of o.tables) {
    q(`show table status like '${table}'`);
    q('SET SQL_QUOTE_SHOW_CREATE=1');
    q("SET SESSION character_set_results = 'binary'");
    q(`show create table \`${table}\``);
    q("SET SESSION character_set_results = 'utf8'");
    q(`show fields from \`${table}\``);
    q(`show fields from \`${table}\``);
    q(`SELECT /*!40001 SQL_NO_CACHE */ * FROM \`${table}\``);
    at += o.msPerTable(table);
    q("SET SESSION character_set_results = 'binary'");
    q(`use \`${o.db}\``);
    q('select @@collation_database');
    q(`SHOW TRIGGERS LIKE '${table}'`);
    q("SET SESSION character_set_results = 'utf8'");
    if (o.consistent) q('ROLLBACK TO SAVEPOINT sp');
  }
  if (o.consistent) q('RELEASE SAVEPOINT sp');
  else q('UNLOCK TABLES');
  at += 2;
  server.quit(at, id, s);
  return at;
}

/** An interactive `mysql` client session's opening, as the general log shows it. */
export function mysqlClientOpen(server: MysqlServer, t: number, o: { user: string; host: string; via: 'Socket' | 'TCP/IP'; db: string; step?: string }): { id: number; at: number } {
  const id = server.connect(t, o.user, o.host, '', o.via, o.step);
  server.query(t + 1, id, 'select @@version_comment limit 1', o.step);
  let at = t + 4000;
  server.query(at, id, 'SELECT DATABASE()', o.step);
  at += 1;
  server.initDb(at, id, o.db, o.step);
  server.query(at + 2, id, 'show databases', o.step);
  server.query(at + 4, id, 'show tables', o.step);
  return { id, at: at + 5 };
}
