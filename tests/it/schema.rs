//! The two migration trees describe the same schema.

use crate::support::{Backend, fresh_database};
use rapport::store::{Db, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use std::collections::BTreeSet;

#[test]
fn both_backends_have_the_same_migration_versions() {
    let v = |m: &sqlx::migrate::Migrator| m.iter().map(|m| (m.version, m.description.to_string())).collect::<Vec<_>>();
    assert_eq!(v(&SQLITE_MIGRATIONS), v(&POSTGRES_MIGRATIONS));
    let files = |dir: &str| {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    assert_eq!(files("migrations/sqlite"), files("migrations/postgres"));
    assert_eq!(files("migrations/sqlite").len(), SQLITE_MIGRATIONS.iter().count(), "every migration file is embedded");
}

/// (table, column, type in a small shared vocabulary, nullable)
type Column = (String, String, String, bool);

/// Types in one vocabulary. SQLite keeps timestamps as ISO-8601 TEXT in columns named `…_at`,
/// and dates as TEXT in columns named `…_date`.
fn normalise(column: &str, t: &str) -> String {
    match t.to_ascii_lowercase().as_str() {
        "blob" | "uuid" => "uuid",
        "text" if column.ends_with("_at") => "timestamp",
        "text" if column.ends_with("_date") => "date",
        "date" => "date",
        "text" => "text",
        "timestamp with time zone" => "timestamp",
        "boolean" => "bool",
        "bigint" | "integer" => "int",
        other => return other.to_string(),
    }
    .to_string()
}

async fn columns(db: &Db) -> BTreeSet<Column> {
    let rows: Vec<(String, String, String, bool)> = match db {
        Db::Sqlite(p) => {
            let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
                "SELECT m.name, c.name, c.type, c.\"notnull\" FROM sqlite_master m JOIN pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
            )
            .fetch_all(&p.pool)
            .await
            .unwrap();
            // SQLite reports a primary key column as nullable unless it says NOT NULL; ours all do.
            rows.into_iter().map(|(t, c, ty, nn)| (t, c, ty, nn == 0)).collect()
        }
        Db::Postgres(p) => {
            let rows: Vec<(String, String, String, String)> = sqlx::query_as(
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
            )
            .fetch_all(p)
            .await
            .unwrap();
            rows.into_iter().map(|(t, c, ty, n)| (t, c, ty, n == "YES")).collect()
        }
    };
    rows.into_iter()
        // Full-text search is the one planned difference: an FTS5 table (its shadow tables
        // and the queue that feeds it) in SQLite, a generated `tsv` column in PostgreSQL.
        .filter(|(t, c, _, _)| !(t.starts_with("search_fts") || t == "search_queue" || (t == "search_doc" && c == "tsv")))
        .map(|(t, c, ty, n)| (t, c.clone(), normalise(&c, &ty), n))
        .collect()
}

#[tokio::test]
async fn after_migrating_both_databases_have_the_same_tables_columns_and_types() {
    let (sqlite_url, _dir) = fresh_database(Backend::Sqlite).await;
    let (pg_url, _db) = fresh_database(Backend::Postgres).await;
    let (s, p) = (Db::connect(&sqlite_url).await.unwrap(), Db::connect(&pg_url).await.unwrap());
    s.migrate().await.unwrap();
    p.migrate().await.unwrap();
    // Migrating again is a no-op.
    s.migrate().await.unwrap();
    p.migrate().await.unwrap();
    let (sc, pc) = (columns(&s).await, columns(&p).await);
    assert!(sc.len() > 20, "introspection found the tables");
    let only_sqlite: Vec<_> = sc.difference(&pc).collect();
    let only_pg: Vec<_> = pc.difference(&sc).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "schemas differ:\nonly in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_pg:#?}"
    );
}

/// Migrations as rapport embedded them before `sqlx::migrate!`: one `Migration::new` per file,
/// described by the file name's words joined with `_`, recorded in sqlx's `_sqlx_migrations`.
fn migrator_as_before(dir: &str) -> sqlx::migrate::Migrator {
    use sqlx::SqlSafeStr;
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    Migrator::with_migrations(
        files
            .iter()
            .map(|path| {
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                let (version, description) = stem.split_once('_').unwrap();
                let sql = std::fs::read_to_string(path).unwrap();
                Migration::new(
                    version.parse().unwrap(),
                    description.to_owned().into(),
                    MigrationType::Simple,
                    sqlx::AssertSqlSafe(sql).into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

async fn applied(db: &Db) -> Vec<(i64, Vec<u8>, String)> {
    const Q: &str = "SELECT version, checksum, CAST(installed_on AS TEXT) FROM _sqlx_migrations ORDER BY version";
    rapport::on_db!(db, p => sqlx::query_as(Q).fetch_all(p).await).unwrap()
}

#[tokio::test]
async fn a_database_migrated_by_the_earlier_code_opens_with_its_data_and_nothing_reruns() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let (url, _dir) = fresh_database(backend).await;
        let dir = match backend {
            Backend::Sqlite => "migrations/sqlite",
            Backend::Postgres => "migrations/postgres",
        };
        let old = Db::connect(&url).await.unwrap();
        match &old {
            Db::Sqlite(s) => migrator_as_before(dir).run(&s.write_pool).await.unwrap(),
            Db::Postgres(p) => migrator_as_before(dir).run(p).await.unwrap(),
        }
        let (id, now) = (uuid::Uuid::new_v4(), chrono::Utc::now());
        const INSERT: &str = "INSERT INTO person (id, name, email, email_lower, timezone, created_at, updated_at) \
                              VALUES ($1, 'Ada', 'ada@example.com', 'ada@example.com', 'UTC', $2, $2)";
        let mut tx = old.begin().await.unwrap();
        rapport::on_tx!(&mut tx, c => sqlx::query(INSERT).bind(id).bind(now).execute(c).await.map(|r| r.rows_affected())).unwrap();
        tx.commit().await.unwrap();
        let before = applied(&old).await;
        let schema_before = columns(&old).await;
        old.close().await;

        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let after = applied(&db).await;
        assert_eq!(after, before, "{dir}: no migration re-ran and none was recorded anew");
        assert_eq!(after.len(), std::fs::read_dir(dir).unwrap().count(), "{dir}: every migration is recorded");
        assert_eq!(columns(&db).await, schema_before, "{dir}: the schema is intact");
        const NAME: &str = "SELECT name FROM person WHERE id = $1";
        let name: String = rapport::on_db!(&db, p => sqlx::query_scalar(NAME).bind(id).fetch_one(p).await).unwrap();
        assert_eq!(name, "Ada", "{dir}: the data is kept");
        db.close().await;
    }
}
