#!/usr/bin/env bash
# Installs what newsd needs to build and test on Debian 12 with the Swift toolchain, and starts a journald
# when none runs (tests read real journal records). Safe to run again: it only acts on what is missing.
set -euo pipefail

need=()
dpkg -s libsystemd-dev >/dev/null 2>&1 || need+=(libsystemd-dev)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v journalctl >/dev/null 2>&1 || need+=(systemd)
if [ "${1:-}" = "--test" ]; then
    command -v strace >/dev/null 2>&1 || need+=(strace)
    command -v python3 >/dev/null 2>&1 || need+=(python3)
fi
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ] && [ "$(id -u)" -eq 0 ] && ! pgrep -f systemd-journald >/dev/null 2>&1; then
    setsid -f /lib/systemd/systemd-journald
    for _ in $(seq 100); do
        [ -S /run/systemd/journal/socket ] && break
        sleep 0.1
    done
fi
