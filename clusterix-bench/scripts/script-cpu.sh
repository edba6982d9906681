#!/bin/bash
# Redis CPU per call of an up-to-date heartbeat (tick, no poll, 1,000 members): each script named on the command line,
# in rounds, so that machine drift hits every script alike. Needs redis-server, redis-cli, redis-benchmark on the PATH.
# Usage: script-cpu.sh ROUNDS PIPELINE name=file.lua ...   e.g. script-cpu.sh 3 1 before=/tmp/old.lua now=clusterix-api/src/main/resources/io/clusterix/spi/clusterix.lua
ROUNDS=$1; PIPE=$2; shift 2
P=6399
redis-server --port $P --save '' --appendonly no --daemonize yes --logfile /tmp/luacpu-redis.log >/dev/null
sleep 0.5
PID=$(pgrep -f "redis-server .*:$P" | head -1)
C="redis-cli -p $P"
K="{b}:heartbeats {b}:owners {b}:incarnations {b}:claims {b}:claim-info {b}:clock {b}:history {b}:metadata"
cpu() { awk '{print $14+$15}' /proc/$PID/stat; }
for r in $(seq 1 $ROUNDS); do
  for build in "$@"; do
    name=${build%%=*}; lua=${build#*=}
    $C FLUSHALL >/dev/null
    SHA=$($C SCRIPT LOAD "$(cat $lua)")
    for i in $(seq 1 1000); do echo "EVALSHA $SHA 8 $K join node-$i 1000"; done | $C >/dev/null
    INC=$($C HGET {b}:owners node-5); EPOCH=$($C HGET {b}:clock epoch); VER=$($C HGET {b}:clock version)
    N=200000
    c0=$(cpu)
    redis-benchmark -p $P -n $N -c 8 -P $PIPE -q EVALSHA $SHA 8 $K tick node-5 $INC $EPOCH 1000 0 "" "" 500 $VER >/dev/null 2>&1
    c1=$(cpu)
    echo "$r $name $(echo "($c1 - $c0) * 10000 / $N" | bc -l | xargs printf '%.2f') us of Redis CPU per call"
  done
done
$C SHUTDOWN NOSAVE >/dev/null 2>&1
