#!/usr/bin/env bash
# Mutation check: applies small planted bugs to the sources one at a time, rebuilds, runs the tests
# that must catch each one, reverts, and prints caught/survived. Slow (one incremental build and a
# filtered test run per mutation, about 20–60 s each on 2 cores): not part of scripts/test.sh or CI.
#
#   scripts/mutate.sh                       every mutation in scripts/mutations.txt
#   scripts/mutate.sh --only TEXT           only the lines whose file or filter contains TEXT
#   scripts/mutate.sh --list FILE           another mutation list
#   scripts/mutate.sh --no-baseline         skip the check that each filter passes on the clean code
#
# The list: one mutation a line, four fields separated by " ||| " (a separator that does not occur
# in C# or F# code):
#   FILE ||| ORIGINAL ||| REPLACEMENT ||| TEST FILTER
# FILE is relative to the repository root; ORIGINAL must occur exactly once in FILE (the script
# stops and says so otherwise) and is replaced verbatim (no regular expressions, single line);
# the TEST FILTER is an Expecto `--filter` test-list prefix ("Stats.KolmogorovSmirnov"). Blank
# lines and lines starting with # are ignored. The project to build and run follows from FILE:
#   src/GenStats.Core/…        → tests/GenStats.Core.Tests
#   src/GenStats.Validation/…  → tests/GenStats.Validation.Tests
# A mutation is caught when the filtered tests fail (or time out); it survives when they pass;
# a mutation that does not compile is reported as "invalid" (fix the list). The sources are
# always restored (trap on EXIT, INT, TERM), and the clean code is rebuilt at the end.
# Exits 0 only when every mutation was caught.
set -uo pipefail
cd "$(dirname "$0")/.."

list=scripts/mutations.txt
only=""
baseline=1
while [ $# -gt 0 ]; do
    case $1 in
        --list) list=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --no-baseline) baseline=0; shift ;;
        *) echo "unknown option $1 (use --list FILE, --only TEXT, --no-baseline)"; exit 2 ;;
    esac
done
[ -f "$list" ] || { echo "no mutation list $list"; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
sep=' ||| '
test_timeout=${MUTATE_TEST_TIMEOUT:-600}
work=$(mktemp -d)
backup=""      # the path of the file currently mutated, restored by the trap
built=()       # test projects built with a mutation (rebuilt clean at the end)

restore() {
    if [ -n "$backup" ] && [ -f "$work/original" ]; then
        cp "$work/original" "$backup"
        backup=""
    fi
}
on_exit() {
    restore
    rm -rf "$work"
}
trap on_exit EXIT
trap 'echo; echo "interrupted: sources restored"; exit 130' INT TERM

project_for() { # FILE → test project directory
    case $1 in
        src/GenStats.Core/*) echo tests/GenStats.Core.Tests ;;
        src/GenStats.Validation/*) echo tests/GenStats.Validation.Tests ;;
        *) echo "" ;;
    esac
}

build() { # PROJECT → 0 on success; the log in $work/build.log
    dotnet build "$1" -c Release -nologo -v q >"$work/build.log" 2>&1
}

run_tests() { # PROJECT FILTER → 0 pass, 1 fail, 2 no test matched, 124 timeout
    local name dll
    name=$(basename "$1")
    dll="$1/bin/Release/net10.0/$name.dll"
    timeout "$test_timeout" dotnet "$dll" --colours 0 --filter "$2" >"$work/test.log" 2>&1
    local rc=$?
    [ $rc -eq 124 ] && return 124
    if ! grep -Eq 'EXPECTO!? [1-9][0-9]* tests? run' "$work/test.log"; then return 2; fi
    [ $rc -eq 0 ] && return 0
    return 1
}

# ---- read and check the list ----
files=() origs=() repls=() filters=() lines=()
n=0
while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    case $line in ''|'#'*) continue ;; esac
    rest=$line
    f=${rest%%"$sep"*}; rest=${rest#*"$sep"}
    o=${rest%%"$sep"*}; rest=${rest#*"$sep"}
    r=${rest%%"$sep"*}; rest=${rest#*"$sep"}
    t=$rest
    if [ "$f" = "$line" ] || [ "$t" = "$r" ] || [[ $t == *"$sep"* ]]; then
        echo "$list:$n: expected four fields separated by '$sep'"; exit 2
    fi
    if [ -n "$only" ] && [[ $f != *"$only"* ]] && [[ $t != *"$only"* ]]; then continue; fi
    [ -f "$f" ] || { echo "$list:$n: no file $f"; exit 2; }
    [ -n "$(project_for "$f")" ] || { echo "$list:$n: no test project known for $f"; exit 2; }
    count=$(ORIG=$o perl -0777 -ne '$c = () = /\Q$ENV{ORIG}\E/g; print $c' "$f")
    if [ "$count" != 1 ]; then
        echo "$list:$n: the original text occurs $count times in $f (it must occur exactly once): $o"; exit 2
    fi
    files+=("$f") origs+=("$o") repls+=("$r") filters+=("$t") lines+=("$n")
done <"$list"
total=${#files[@]}
[ "$total" -gt 0 ] || { echo "no mutation selected"; exit 2; }
echo "== $total mutations from $list"

# ---- baseline: the clean code builds and every filter passes ----
projects=$(for f in "${files[@]}"; do project_for "$f"; done | sort -u)
for p in $projects; do
    echo "== building $p (clean)"
    build "$p" || { cat "$work/build.log"; echo "the clean code does not build"; exit 2; }
done
if [ "$baseline" = 1 ]; then
    echo "== baseline: each filter passes on the clean code"
    for pair in $(for i in "${!files[@]}"; do echo "$(project_for "${files[$i]}")|${filters[$i]// /%20}"; done | sort -u); do
        p=${pair%%|*}; t=${pair#*|}; t=${t//%20/ }
        run_tests "$p" "$t"
        case $? in
            0) echo "   ok   $t" ;;
            2) echo "   no test matches the filter '$t' in $p"; exit 2 ;;
            *) tail -30 "$work/test.log"; echo "   the filter '$t' fails on the clean code"; exit 2 ;;
        esac
    done
fi

# ---- the mutations ----
caught=0 survived=0 invalid=0
survivors=()
for i in "${!files[@]}"; do
    f=${files[$i]} o=${origs[$i]} r=${repls[$i]} t=${filters[$i]}
    p=$(project_for "$f")
    label="#${lines[$i]} $f: '$o' -> '$r'"
    cp "$f" "$work/original"
    backup=$f
    ORIG=$o REPL=$r perl -0777 -i -pe 'my $k = index($_, $ENV{ORIG}); substr($_, $k, length($ENV{ORIG})) = $ENV{REPL} if $k >= 0' "$f"
    built+=("$p")
    start=$SECONDS
    if ! build "$p"; then
        restore
        invalid=$((invalid + 1)); survivors+=("INVALID $label")
        echo "INVALID  (does not compile)      $label"
        grep -m3 -E 'error' "$work/build.log" | sed 's/^/           /'
        continue
    fi
    run_tests "$p" "$t"
    rc=$?
    restore
    secs=$((SECONDS - start))
    case $rc in
        0) survived=$((survived + 1)); survivors+=("SURVIVED $label [$t]")
           printf 'SURVIVED %4ds [%s] %s\n' "$secs" "$t" "$label" ;;
        1) caught=$((caught + 1))
           failed=$(grep -Eo '[0-9]+ failed, [0-9]+ errored' "$work/test.log" | tail -1)
           printf 'caught   %4ds [%s] %s (%s)\n' "$secs" "$t" "$label" "$failed" ;;
        124) caught=$((caught + 1))
           printf 'caught   %4ds [%s] %s (timed out)\n' "$secs" "$t" "$label" ;;
        2) invalid=$((invalid + 1)); survivors+=("INVALID $label (no test ran)")
           printf 'INVALID  %4ds [%s] %s (no test ran: %s)\n' "$secs" "$t" "$label" "$(tail -1 "$work/test.log")" ;;
    esac
done

# ---- rebuild the clean code so that no mutated binary is left behind ----
for p in $(printf '%s\n' "${built[@]}" | sort -u); do
    echo "== rebuilding $p (clean)"
    build "$p" || { cat "$work/build.log"; echo "the clean rebuild failed"; }
done

echo "== mutations: $total, caught $caught, survived $survived, invalid $invalid"
for s in "${survivors[@]}"; do echo "   $s"; done
[ "$caught" -eq "$total" ]
