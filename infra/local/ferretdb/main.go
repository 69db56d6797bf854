// Command bulwark-ferretdb runs FerretDB with its SQLite backend as Bulwark's local
// MongoDB-API store. It exists because `go install .../cmd/ferretdb` builds a binary that
// panics at start (build/version/version.txt is missing from the module zip, FerretDB #2982);
// the embeddable package has no such check.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("data-dir", "", "directory holding the SQLite databases (required)")
	level := flag.String("log-level", "warn", "debug, info, warn or error")
	// WAL with synchronous=NORMAL: a commit is durable against a crash of any process (FerretDB
	// included) but not against losing power or the OS before the next checkpoint. FULL (SQLite's
	// default) fsyncs every commit, and on a small machine the store then spends its time in I/O wait.
	synchronous := flag.String("synchronous", "normal", "SQLite synchronous pragma: full or normal")
	// How long a write waits for SQLite's lock. Kept well below the consumers' Kafka session
	// timeout: a write sent by a replica that was then killed must land (or fail) before its
	// partitions can move to another replica, or it could overwrite the new owner's newer state.
	busy := flag.Int("busy-timeout-ms", 2000, "SQLite busy_timeout in milliseconds")
	flag.Parse()

	if *dir == "" {
		fmt.Fprintln(os.Stderr, "bulwark-ferretdb: --data-dir is required")
		os.Exit(2)
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bulwark-ferretdb: bad --data-dir: %v\n", err)
		os.Exit(2)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "bulwark-ferretdb: cannot create %s: %v\n", abs, err)
		os.Exit(1)
	}

	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(os.Stderr, "bulwark-ferretdb: bad --log-level: %v\n", err)
		os.Exit(2)
	}
	// At info FerretDB logs every connection, including each health probe.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))

	if *synchronous != "full" && *synchronous != "normal" {
		fmt.Fprintln(os.Stderr, "bulwark-ferretdb: --synchronous must be full or normal")
		os.Exit(2)
	}

	// The SQLite URL must name a directory and end with a slash: one file per database.
	f, err := ferretdb.New(&ferretdb.Config{
		Logger:    logger,
		Listener:  ferretdb.ListenerConfig{TCP: *addr},
		Handler:   "sqlite",
		SQLiteURL: fmt.Sprintf("file:%s/?_pragma=synchronous(%s)&_pragma=busy_timeout(%d)", abs, *synchronous, *busy),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "bulwark-ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// Lookups by _id must use an index, and WALs must not grow forever (see upkeep.go).
	go upkeep(ctx, abs, *busy, time.Second, logger)

	fmt.Printf("bulwark-ferretdb: listening on %s, data in %s\n", *addr, abs)
	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "bulwark-ferretdb: %v\n", err)
		os.Exit(1)
	}
}
