#!/usr/bin/env bash
# Creates Bulwark's topics for docker-compose.yml (service `topics`). The list below must equal
# ALL_TOPICS in libs/contracts; test/compose/docker-compose.unit.spec.ts runs this script
# against a stub kafka-topics.sh and fails when they differ.
set -euo pipefail

KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
BOOTSTRAP="${KAFKA_BOOTSTRAP:-kafka-1:9092,kafka-2:9092,kafka-3:9092}"
# REPLICATION in libs/contracts: acks=all then survives the loss of any one broker.
REPLICATION_FACTOR=3
MIN_INSYNC_REPLICAS=2

# --if-not-exists makes a rerun a no-op. It never alters an existing topic: changing partitions
# remaps keys to partitions and breaks per-key ordering, a migration rather than a restart.
# Retries cover the first seconds after boot, when a healthy broker may still be fenced and
# RF=3 is refused as "larger than available brokers".
create_topic() {
  local name=$1 partitions=$2 attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
      --topic "$name" --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR" \
      --config min.insync.replicas="$MIN_INSYNC_REPLICAS" \
      --config unclean.leader.election.enable=false; then
      return 0
    fi
    echo "create-topics: ${name} not created (attempt ${attempt}), retrying in 3 s" >&2
    sleep 3
  done
  echo "create-topics: giving up on ${name}" >&2
  return 1
}

create_topic echo.commands 12
create_topic echo.events 12
create_topic ledger.commands 12
create_topic ledger.events 12
create_topic orders.commands 12
create_topic orders.events 12
create_topic inventory.commands 12
create_topic inventory.events 12
create_topic inventory.stock 12
create_topic payments.commands 12
create_topic payments.events 12
create_topic echo.dlq 3
create_topic ledger.dlq 3
create_topic orders.dlq 3
create_topic inventory.dlq 3
create_topic payments.dlq 3
create_topic ingress.projection.dlq 3
