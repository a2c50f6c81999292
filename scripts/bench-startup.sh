#!/usr/bin/env bash
# bench-startup.sh [N ...]: how long the real kiosk binary takes to be
# usable with a large cached catalogue, against a small one, in one run.
#
# It builds ./kiosk into a temporary directory, and for the small catalogue
# (N=0: the plain sandbox, about 80 products) and for each N given (default
# 50000) starts `kiosk sandbox --extensions --products N` on a free loopback
# port, writes a configuration that points all five providers at it, and
# fills the catalogue cache once with `kiosk catalog --refresh` (the same
# refresh and cache the screens use). Then, RUNS times (default 5), taking
# the catalogues in turn, it starts the clerk's screens in a fresh tmux
# session of 80x24 and watches the pane:
#
#   list   the time from launch until the pane shows "T of T products",
#          T being every cached product;
#   usable the time until QUERY (default "itunes"), typed as soon as the
#          list shows, is answered: "K of T products" with K < T under
#          "Search: itunes". RSS is the kiosk's VmRSS at that moment.
#
# It prints, per N: median, min and max of "usable" in ms, the median of
# "list", the median RSS in MB, and the ratio of the "usable" medians
# against N=0.
#
# The pane is read through one tmux control-mode client (no process is
# started per look), every POLL seconds (default 0.005); a timestamp is
# taken when the screen that shows the state has been read, so a figure is
# at most one look (about 2 ms) late. Everything it starts is stopped on
# exit. Only loopback is used. Runs as root or as any user with go and tmux.
#
# Environment: RUNS (5), QUERY (itunes), POLL (0.005), RUN_TIMEOUT (120 s
# per start), KEEP=1 keeps the work directory (configs, logs, screens).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
QUERY=${QUERY:-itunes}
POLL=${POLL:-0.005}
RUN_TIMEOUT=${RUN_TIMEOUT:-120}
MAX_PRODUCTS=1000000 # sandboxes.MaxProducts

die() { echo "bench-startup: $*" >&2; exit 2; }

SIZES=(0)
for n in "${@:-50000}"; do
	# shellcheck disable=SC2015 # either test failing is the error
	[[ $n =~ ^[0-9]{1,7}$ ]] && ((10#$n >= 1 && 10#$n <= MAX_PRODUCTS)) || die "N must be a whole number from 1 to $MAX_PRODUCTS, not \"$n\""
	SIZES+=("$((10#$n))")
done
# shellcheck disable=SC2015
[[ $RUNS =~ ^[0-9]{1,3}$ ]] && ((10#$RUNS >= 1)) || die "RUNS must be a positive whole number"
[[ $QUERY =~ ^[a-z0-9]+$ ]] || die "QUERY must be lower-case letters and digits"
command -v tmux >/dev/null || die "needs tmux"
command -v go >/dev/null || die "needs go"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-bench.XXXXXX")
SOCK="kiosk-bench-$$"
KIOSK="$WORK/kiosk"
SANDBOXES=()
TM_PID=

cleanup() {
	set +e
	[[ -n ${TM_PID:-} ]] && kill "$TM_PID" 2>/dev/null
	tmux -L "$SOCK" kill-server 2>/dev/null # hangs up every kiosk still on screen
	for pid in "${SANDBOXES[@]}"; do kill "$pid" 2>/dev/null; done
	wait 2>/dev/null
	if [[ ${KEEP:-} == 1 ]]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# nap waits POLL seconds without starting a process: read times out on a
# pipe nobody writes to.
exec {NAP}<> <(:)
nap() { read -r -t "$POLL" -u "$NAP" _ || true; }

# wait_for FILE PATTERN SECONDS: poll until a line of FILE matches.
wait_for() {
	local file=$1 pattern=$2 deadline=$(($(now_us) + $3 * 1000000))
	until grep -qE "$pattern" "$file" 2>/dev/null; do
		(($(now_us) < deadline)) || return 1
		nap
	done
}

echo "building ./kiosk ..." >&2
(cd "$ROOT" && go build -o "$KIOSK" .)

# ---- one sandbox, configuration and filled cache per catalogue size ----

write_config() { # DIR URL
	local dir=$1 u=$2
	cat >"$dir/config.toml" <<EOF
# written by scripts/bench-startup.sh for kiosk sandbox at $u
[shop]
name = "Bench"
[terminal]
number = 1
[journal]
path = "$dir/data/journal.db"
key_file = "$dir/data/journal.key"
[printer]
target = "file:$dir/data/receipts.txt"

[providers.bitaqaty]
base_url = "$u/bitaqaty"
username = "kiosk@sandbox.test"
secret_key = "sandbox-secret"

[providers.dtone]
base_url = "$u/dtone"
api_key = "sandbox-dtone-apikey"
api_secret = "sandbox-dtone-secret"
simulation = true
extensions = ["countries", "transactions", "lookup"] # every country, the generated ones too

[providers.alqimah]
base_url = "$u/alqimah"
account_number = "100200"
username = "kiosk_demo"
password = "demo-pass"
api_token = "demo-api-token-123"
[providers.alqimah.networks.sabafon]
unit_price = "1.21"
[providers.alqimah.networks.you]
unit_price = "1.18"
[providers.alqimah.networks.y_telecom]
unit_price = "1.15"

[providers.mor]
base_url = "$u/mor"
username = "kiosk"
secret_key = "456789"
[[providers.mor.card_groups]]
id = 6
name = "International calling card 5 USD"
price = "5.00"
cost = "4.50"
currency = "USD"

[providers.india]
base_url = "$u/india"
recharge_path = "/recharge"
[[providers.india.operators]]
code = 1
name = "Airtel"
[[providers.india.circles]]
code = 23
name = "West Bengal"
EOF
}

declare -A TOTAL DIR
for n in "${SIZES[@]}"; do
	dir="$WORK/n$n"
	mkdir -p "$dir/data"
	DIR[$n]=$dir
	echo "N=$n: sandbox, configuration, cache ..." >&2
	"$KIOSK" sandbox --listen 127.0.0.1:0 --extensions --products "$n" >"$dir/sandbox.out" 2>"$dir/sandbox.err" &
	SANDBOXES+=($!)
	wait_for "$dir/sandbox.out" 'listening on http://127\.0\.0\.1:[0-9]+' 300 ||
		die "N=$n: the sandbox did not start: $(cat "$dir/sandbox.err")"
	url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$dir/sandbox.out" | head -1)
	write_config "$dir" "$url"
	# Every catalogue fetched and cached; the listing counts what is cached.
	lines=$(HOME="$dir" timeout 900 "$KIOSK" --config "$dir/config.toml" catalog --refresh 2>"$dir/refresh.err" | wc -l)
	[[ -s $dir/refresh.err ]] && die "N=$n: refreshing the catalogues: $(cat "$dir/refresh.err")"
	TOTAL[$n]=$((lines - 1))
	if ((n > 0 && TOTAL[$n] != TOTAL[0] + n)); then
		die "N=$n: ${TOTAL[$n]} products cached, want ${TOTAL[0]} + $n"
	fi
done

# ---- the pane, read through one control-mode client ----

# tmux runs pane commands with $SHELL (else the login shell, which for a
# system account may be nologin): the server gets /bin/sh.
SHELL=/bin/sh tmux -L "$SOCK" -f /dev/null new-session -d -s keep -x 80 -y 24 "exec cat"
coproc TM { exec tmux -L "$SOCK" -C attach -r -t keep 2>&1; }
exec {TMOUT}<&"${TM[0]}" {TMIN}>&"${TM[1]}"

# tm COMMAND: send one tmux command and read its answer into REPLY_LINES.
# Every command answers with one block, %begin TIME NUMBER FLAGS ... %end
# (or %error); FLAGS 1 marks the answer to a command of this client, so the
# block of the attach itself (FLAGS 0), whenever it comes, is skipped, and
# so are notifications between blocks.
tm() {
	local line block= # "": between blocks; ours; other
	REPLY_LINES=()
	printf '%s\n' "$1" >&"$TMIN"
	while IFS= read -r line <&"$TMOUT"; do
		line=${line%$'\r'}
		case $block in
		"")
			if [[ $line == %begin*\ 1 ]]; then block=ours; elif [[ $line == %begin* ]]; then block=other; fi
			;;
		other)
			if [[ $line == %end* || $line == %error* ]]; then block=; fi
			;;
		ours)
			case $line in
			%end*) return 0 ;;
			%error*) return 1 ;;
			esac
			REPLY_LINES+=("$line")
			;;
		esac
	done
	die "the tmux control client went away"
}
# Answers only, not every byte the panes print; "no current client" until
# the attach is done.
deadline=$(($(now_us) + 10000000))
until tm "refresh-client -f no-output"; do
	(($(now_us) < deadline)) || die "the tmux control client did not attach: ${REPLY_LINES[*]}"
	nap
done

# run N RUN: one start of the screens on catalogue N; sets LIST_MS, USABLE_MS, RSS_KB.
run() {
	local n=$1 r=$2 dir=${DIR[$1]} total=${TOTAL[$1]} sess="run$1-$2"
	local t0 t_list=0 t_usable=0 pid screen deadline key val
	t0=$(now_us)
	tm "new-session -d -x 80 -y 24 -s $sess \"cd '$dir' && HOME='$dir' exec '$KIOSK' --config '$dir/config.toml'\"" ||
		die "tmux new-session: ${REPLY_LINES[*]}"
	tm "display-message -p -t $sess '#{pane_pid}'"
	pid=${REPLY_LINES[0]:-}
	[[ $pid =~ ^[0-9]+$ ]] || die "N=$n run $r: no pid for the kiosk's pane: ${REPLY_LINES[*]}"
	deadline=$((t0 + RUN_TIMEOUT * 1000000))
	while :; do
		tm "capture-pane -p -t $sess" || die "N=$n run $r: the kiosk's pane is gone (see $dir/data/kiosk.log)"
		printf -v screen '%s\n' "${REPLY_LINES[@]}"
		if ((t_list == 0)); then
			if [[ $screen == *"$total of $total products"* ]]; then
				t_list=$(now_us)
				tm "send-keys -t $sess -l $QUERY"
			fi
		elif [[ $screen == *"Search: $QUERY"* && $screen =~ ([0-9]+)\ of\ $total\ products ]] && ((BASH_REMATCH[1] < total)); then
			t_usable=$(now_us)
			RSS_KB=0
			while read -r key val _; do [[ $key == VmRSS: ]] && RSS_KB=$val; done <"/proc/$pid/status"
			printf '%s' "$screen" >"$dir/screen-$r.txt"
			break
		fi
		if (($(now_us) > deadline)); then
			printf '%s' "$screen" >"$dir/screen-$r.txt"
			die "N=$n run $r: not usable after ${RUN_TIMEOUT}s (last screen in $dir/screen-$r.txt; KEEP=1 keeps it)"
		fi
		nap
	done
	LIST_MS=$(((t_list - t0) / 1000))
	USABLE_MS=$(((t_usable - t0) / 1000))
	# Hang up and wait until the kiosk has let go of its journal.
	tm "kill-session -t $sess" || true
	deadline=$(($(now_us) + 20000000))
	# (it may be gone between the two looks: stat then reads as empty)
	while [[ -e /proc/$pid ]] && [[ $(cat "/proc/$pid/stat" 2>/dev/null || echo ") Z ") != *") Z "* ]]; do
		(($(now_us) < deadline)) || { kill -9 "$pid" 2>/dev/null || true; break; }
		nap
	done
}

declare -A USABLE LIST RSS
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= RUNS; r++)); do
	for n in "${SIZES[@]}"; do
		run "$n" "$r"
		USABLE[$n]+="$USABLE_MS "
		LIST[$n]+="$LIST_MS "
		RSS[$n]+="$RSS_KB "
		printf 'run %d  N=%-7s list %6d ms  usable %6d ms  RSS %7.1f MB\n' "$r" "$n" "$LIST_MS" "$USABLE_MS" "$(awk "BEGIN{print $RSS_KB/1024}")" >&2
	done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
minmax() { tr ' ' '\n' | grep . | sort -n | awk 'NR==1{lo=$1} {hi=$1} END{print lo, hi}'; }

echo
echo "kiosk start-up at 80x24 in tmux, $RUNS runs each, interleaved; usable = launch until \"$QUERY\" is answered"
echo "load average before the runs: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
printf '%-8s %9s %11s %11s %8s %8s %11s %8s\n' N products "list med" "usable med" min max "RSS MB med" ratio
base=$(median <<<"${USABLE[0]}")
for n in "${SIZES[@]}"; do
	med=$(median <<<"${USABLE[$n]}")
	read -r lo hi < <(minmax <<<"${USABLE[$n]}")
	lmed=$(median <<<"${LIST[$n]}")
	rss=$(median <<<"${RSS[$n]}")
	printf '%-8s %9d %8s ms %8s ms %5s ms %5s ms %11.1f %7.2fx\n' "$n" "${TOTAL[$n]}" "$lmed" "$med" "$lo" "$hi" \
		"$(awk "BEGIN{print $rss/1024}")" "$(awk "BEGIN{print ($base > 0) ? $med/$base : 0}")"
done
