#!/usr/bin/env bash
# A single-node Slurm cluster on this host, for the ensemble test (tests: Ensemble.slurm).
#   scripts/slurm-local.sh start   installs Debian's slurm-wlm and munge when missing (root + apt-get),
#                                  writes a minimal slurm.conf in $GENSTATS_SLURM_DIR (default
#                                  /tmp/genstats-slurm), starts munged, slurmctld and slurmd, and waits
#                                  until the node takes jobs. Prints `export SLURM_CONF=…` last.
#   scripts/slurm-local.sh stop    stops the daemons it started (by their pid files).
#   scripts/slurm-local.sh env     prints `export SLURM_CONF=…` (for the clients: sbatch, squeue, scancel).
# No systemd and no cgroups are needed: proctrack/linuxproc, task/none, select/cons_tres with CR_CPU.
# Every failure says why on one line and exits non-zero; nothing is skipped silently.
set -uo pipefail

dir=${GENSTATS_SLURM_DIR:-/tmp/genstats-slurm}
conf=$dir/slurm.conf
node=$(hostname -s)

fail() { echo "slurm-local: $*" >&2; exit 1; }

install() {
    local missing=()
    command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1 || missing+=(slurm-wlm)
    command -v munged >/dev/null 2>&1 || missing+=(munge)
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || fail "${missing[*]} missing and not root: cannot install them (apt-get needs root)."
    command -v apt-get >/dev/null 2>&1 || fail "${missing[*]} missing and no apt-get to install them."
    echo "slurm-local: installing ${missing[*]} (Debian)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } \
        || fail "apt-get could not install ${missing[*]}."
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }

start() {
    [ "$(id -u)" = 0 ] || fail "not root: slurmd must run as root to start jobs as their user; run the Slurm test as root."
    install
    mkdir -p "$dir"/{state,spool,munge} || fail "cannot create $dir."
    local cpus mem
    cpus=$(nproc)
    mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
    cat > "$conf" <<CONF
# Written by scripts/slurm-local.sh: one node ($node) on localhost, no cgroups, no accounting.
ClusterName=genstats
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
KillWait=2
MinJobAge=10
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$conf

    # munge: its own key and socket under $dir, so a system munged (if any) is left alone.
    local key=$dir/munge/munge.key socket=$dir/munge/munge.socket
    if [ ! -s "$key" ]; then
        dd if=/dev/urandom of="$key" bs=1024 count=1 status=none || fail "cannot write the munge key."
        chmod 400 "$key"
    fi
    if ! alive "$dir/munged.pid"; then
        munged --force --key-file="$key" --socket="$socket" --pid-file="$dir/munged.pid" \
            --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed" \
            || fail "munged did not start (see $dir/munged.log)."
    fi
    # Slurm's auth/munge plugin reads the socket from AuthInfo.
    sed -i "s|^AuthType=auth/munge|AuthType=auth/munge\nAuthInfo=socket=$socket|" "$conf"

    alive "$dir/slurmctld.pid" || slurmctld -f "$conf" || fail "slurmctld did not start (see $dir/slurmctld.log)."
    alive "$dir/slurmd.pid" || slurmd -f "$conf" -N "$node" || fail "slurmd did not start (see $dir/slurmd.log)."

    for _ in $(seq 1 60); do
        if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
            echo "slurm-local: node $node up ($cpus CPUs), config $conf"
            echo "export SLURM_CONF=$conf"
            return 0
        fi
        sleep 0.5
    done
    fail "the node did not come up within 30 s: $(sinfo -h -N -o '%T %E' 2>&1 | head -1) (logs in $dir)."
}

stop() {
    local name pidfile
    for name in slurmd slurmctld munged; do
        pidfile=$dir/$name.pid
        if alive "$pidfile"; then
            kill "$(cat "$pidfile")" 2>/dev/null
            for _ in $(seq 1 20); do alive "$pidfile" || break; sleep 0.25; done
        fi
        rm -f "$pidfile"
    done
    echo "slurm-local: stopped"
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    env) echo "export SLURM_CONF=$conf" ;;
    *) echo "usage: scripts/slurm-local.sh start|stop|env" >&2; exit 2 ;;
esac
