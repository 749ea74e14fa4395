#!/usr/bin/env bash
# Make sure a RabbitMQ broker answers on 127.0.0.1:5672 for the integration tests: start Debian's
# rabbitmq-server (installing it if needed) rather than skip the tests that need it.
set -euo pipefail

port_open() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

if port_open; then
  exit 0
fi
if ! command -v rabbitmq-server >/dev/null 2>&1; then
  echo "RabbitMQ is not installed: installing Debian's rabbitmq-server (needs root)..."
  if [ "$(id -u)" != 0 ]; then
    echo "Run as root, or install and start rabbitmq-server yourself (guest/guest on 127.0.0.1:5672)." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq rabbitmq-server >/dev/null
fi
echo "Starting RabbitMQ..."
rabbitmq-server -detached
for _ in $(seq 1 60); do
  if port_open; then
    echo "RabbitMQ is up."
    exit 0
  fi
  sleep 1
done
echo "RabbitMQ did not open 127.0.0.1:5672 within 60 s: see /var/log/rabbitmq/ for why." >&2
exit 1
