package main

// FerretDB 1.24's SQLite backend finds a document by _id with
//
//	WHERE _ferretdb_sjson->'$._id' = ?
//
// but builds each collection's _id index on `_ferretdb_sjson->"_id"`. SQLite only uses an
// expression index whose expression is written the same way as the query's, so every
// findOne/update/findAndModify by _id scans the table and parses every document's JSON
// (EXPLAIN QUERY PLAN says "SCAN"). A lookup then costs time in proportion to the collection:
// 25 ms for a miss among 100 ledger accounts, and the ledger crawled at 3-7 entries/s once
// earlier tests had filled its collection.
//
// The upkeep loop below adds, to every collection table, an index on exactly the expression the
// queries use. FerretDB keeps its own list of indexes in _ferretdb_collections and never reads
// sqlite_master, so the extra index is invisible to it (listIndexes, dropIndexes) and dropped
// with its table. It runs in this process, through the same SQLite library as FerretDB, so
// SQLite's locks coordinate the two.
//
// It also installs the version guard (see versionGuard below) and keeps each database's
// write-ahead log bounded. SQLite starts the WAL over only when no reader is using it; under steady load FerretDB always has one, so the file grew to 500 MB
// for a 2 MB database in four minutes of the crash test. Past walLimit, the loop asks for a
// TRUNCATE checkpoint, which waits at most walCheckpointWaitMs for readers (blocking writers
// meanwhile, so the wait is short) and otherwise tries again on the next pass.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (the library FerretDB itself uses)
)

// idIndexSuffix names our index next to FerretDB's "<table>__id_".
const idIndexSuffix = "__id_path"

const (
	walLimit            = 64 << 20
	walCheckpointWaitMs = 100
)

// upkeep adds the missing _id lookup indexes and version guards to every database in dir and
// truncates oversized WALs, once now and then every interval, until ctx ends. New collections
// are covered within an interval; until then their lookups scan, which is only slow, never wrong.
func upkeep(ctx context.Context, dir string, busyMs int, interval time.Duration, logger *slog.Logger) {
	for {
		files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		if err != nil {
			logger.Warn("upkeep: cannot list databases", slog.String("error", err.Error()))
		}
		for _, file := range files {
			if err := upkeepTables(ctx, file, busyMs); err != nil && ctx.Err() == nil {
				logger.Warn("upkeep: indexes or guards not installed yet", slog.String("file", file), slog.String("error", err.Error()))
			}
			if err := boundWAL(ctx, file); err != nil && ctx.Err() == nil {
				logger.Warn("upkeep: WAL not truncated yet", slog.String("file", file), slog.String("error", err.Error()))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// upkeepTables adds the _id lookup index to every collection table of file that lacks it, and
// the version guard to every one that asks for it.
func upkeepTables(ctx context.Context, file string, busyMs int) error {
	// mode=rw: never create a database FerretDB has not created (or has just dropped).
	// The connection is short-lived: a held one would keep a dropped database's file alive.
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?mode=rw&_pragma=busy_timeout(%d)", file, busyMs))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	err = forEachTable(ctx, db, `
		SELECT c.table_name FROM _ferretdb_collections c
		JOIN sqlite_master t ON t.type = 'table' AND t.name = c.table_name
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = c.table_name || ?)`,
		idIndexSuffix,
		// Not UNIQUE: FerretDB's own index enforces that; this one only serves lookups.
		func(table string) string {
			return fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+idIndexSuffix, table)
		})
	if err != nil {
		return err
	}
	return forEachTable(ctx, db, `
		SELECT c.table_name FROM _ferretdb_collections c
		JOIN sqlite_master t ON t.type = 'table' AND t.name = c.table_name
		WHERE EXISTS (SELECT 1 FROM json_each(c.settings, '$.indexes') i WHERE i.value->>'name' = ?)
		AND NOT EXISTS (SELECT 1 FROM sqlite_master g WHERE g.type = 'trigger' AND g.name = c.table_name || '__version_guard')`,
		versionGuardIndex, versionGuard)
}

// forEachTable runs ddl(table) for each table name that query (one argument) selects. A table
// dropped meanwhile, or a database FerretDB is still creating, is not an error.
func forEachTable(ctx context.Context, db *sql.DB, query string, arg any, ddl func(table string) string) error {
	rows, err := db.QueryContext(ctx, query, arg)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil
		}
		return err
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, table := range tables {
		if _, err := db.ExecContext(ctx, ddl(table)); err != nil && !strings.Contains(err.Error(), "no such table") {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// boundWAL truncates file's WAL once it is past walLimit (see the top of this file).
func boundWAL(ctx context.Context, file string) error {
	info, err := os.Stat(file + "-wal")
	if err != nil || info.Size() < walLimit {
		return nil
	}
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?mode=rw&_pragma=busy_timeout(%d)", file, walCheckpointWaitMs))
	if err != nil {
		return err
	}
	defer db.Close()
	// The result row is (busy, log frames, checkpointed frames); busy = 1: readers stayed.
	var busy, logFrames, done int
	if err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil {
		return err
	}
	if busy != 0 {
		return fmt.Errorf("readers still active (%d of %d frames checkpointed)", done, logFrames)
	}
	return nil
}

// versionGuardIndex is the index name by which a collection asks for the version guard; the
// index itself is an ordinary one on {version: 1} (libs/messaging creates it).
const versionGuardIndex = "bulwark_version_guard"

// StaleWriteMarker starts the error FerretDB returns for a write the guard refused;
// libs/messaging recognises it (version-guard.ts) and reads the document again.
const StaleWriteMarker = "bulwark: stale write"

// versionGuard gives FerretDB the one conditional write it lacks. FerretDB runs an update as
// read, modify in Go, then write the whole document back, unconditionally; so a replica frozen
// (SIGSTOP, a long pause) between reading an aggregate and writing it could, when it resumes,
// write a stale copy over what the partition's new owner wrote since. A trigger in SQLite runs
// inside the UPDATE itself, against the row as it is then, so it can refuse that write:
//
//   - version lower than the stored one: a write computed from an older read;
//   - same version but another inbox: a different message applied on the same base version.
//
// A write that keeps version and inbox (the outbox relay's clean-up) passes, and so does a
// replay of the very same message on the same base (identical content). Collections opt in by
// having an index named versionGuardIndex; documents without the fields are never refused.
func versionGuard(table string) string {
	return fmt.Sprintf(`CREATE TRIGGER IF NOT EXISTS %q BEFORE UPDATE ON %q
		WHEN NEW._ferretdb_sjson->>'$.version' < OLD._ferretdb_sjson->>'$.version'
		  OR (NEW._ferretdb_sjson->>'$.version' = OLD._ferretdb_sjson->>'$.version'
		      AND NEW._ferretdb_sjson->'$.inbox' IS NOT OLD._ferretdb_sjson->'$.inbox')
		BEGIN SELECT RAISE(ABORT, '%s: the document changed since it was read'); END`,
		table+"__version_guard", table, StaleWriteMarker)
}
