#!/usr/bin/env bash
# Regenerates the README's screen pictures from the real app.
#
# Builds the binary, runs it in a private tmux server (tmux -L) with fresh
# XDG_DATA_HOME and XDG_CONFIG_HOME, so there is no configuration and the
# built-in sandboxes sell, drives it through a sale the way a clerk would,
# and captures each screen as text into docs/screens/NAME.txt. When a real
# ImageMagick (magick, convert or convert-im6.q16) and a monospace font are
# found, each screen is also drawn into docs/screens/NAME.png; otherwise the
# PNGs are skipped with a note.
#
# Then the README section between <!-- screenshots:start --> and
# <!-- screenshots:end --> is replaced by the screens as text blocks. With
# the markers missing (or not one of each, in order) README is left as it
# is and the script says so.
#
#   bash scripts/screenshots.sh            # README.md
#   README=path/to/file.md bash scripts/screenshots.sh
#
# Every wait is bounded (WAIT seconds per screen change), the tmux server
# and temporary files are removed on exit, and running it again replaces
# the same files. References, PINs and serials differ from run to run:
# each run starts a new journal.
set -euo pipefail
cd "$(dirname "$0")/.."

export LC_ALL=C.UTF-8 # tmux and grep read the screens as UTF-8
README=${README:-README.md}
OUT=${OUT:-docs/screens}
WAIT=${WAIT:-15}

note() { printf 'screenshots: %s\n' "$*" >&2; }
die() { note "$*"; exit 1; }

command -v tmux >/dev/null 2>&1 || die "tmux is needed (apt-get install tmux)"
command -v go >/dev/null 2>&1 || die "go is needed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-screens.XXXXXX")
sock="kiosk-screens-$$"
T() { tmux -L "$sock" "$@"; }
cleanup() {
  tmux -L "$sock" kill-server >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

note "building"
go build -o "$tmp/kiosk" .

# start NAME COLS ROWS: the app in its own session, with its own fresh
# data and config directories.
start() {
  local name=$1 cols=$2 rows=$3
  mkdir -p "$tmp/$name/data" "$tmp/$name/config" "$tmp/$name/home"
  T -f /dev/null new-session -d -s "$name" -x "$cols" -y "$rows" \
    env -u NO_COLOR -u TMUX TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    HOME="$tmp/$name/home" XDG_DATA_HOME="$tmp/$name/data" XDG_CONFIG_HOME="$tmp/$name/config" \
    "$tmp/kiosk"
  T set-option -t "$name" remain-on-exit on >/dev/null
  local size
  size=$(T display-message -p -t "$name" '#{window_width}x#{window_height}')
  [ "$size" = "${cols}x${rows}" ] || die "tmux window is $size, want ${cols}x${rows}"
}

screen() { T capture-pane -p -t "$1"; }

# wait_for NAME TEXT: poll until TEXT is on screen, at most WAIT seconds.
wait_for() {
  local name=$1 text=$2 end=$((SECONDS + WAIT))
  while ! screen "$name" | grep -qF -- "$text"; do
    if [ "$SECONDS" -ge "$end" ]; then
      note "waited ${WAIT}s for \"$text\" on $name; the screen was:"
      screen "$name" >&2
      exit 1
    fi
    sleep 0.1
  done
}

# wait_gone NAME TEXT: poll until TEXT is off screen, at most WAIT seconds.
wait_gone() {
  local name=$1 text=$2 end=$((SECONDS + WAIT))
  while screen "$name" | grep -qF -- "$text"; do
    if [ "$SECONDS" -ge "$end" ]; then
      note "waited ${WAIT}s for \"$text\" to go on $name; the screen was:"
      screen "$name" >&2
      exit 1
    fi
    sleep 0.1
  done
}

# settle NAME: wait until two captures 0.4 s apart agree (spinners,
# balances and status messages have landed), at most WAIT seconds.
settle() {
  local name=$1 end=$((SECONDS + WAIT)) a b
  a=$(screen "$name")
  while :; do
    sleep 0.4
    b=$(screen "$name")
    [ "$a" = "$b" ] && return 0
    [ "$SECONDS" -ge "$end" ] && { note "$name did not settle in ${WAIT}s; capturing it anyway"; return 0; }
    a=$b
  done
}

# ready NAME: the catalogue is loaded and no provider is being refreshed.
ready() {
  wait_for "$1" "SANDBOX"
  wait_for "$1" " products"
  wait_gone "$1" "refreshing "
  settle "$1"
}

mkdir -p "$OUT"
shots=() # NAME|COLSxROWS|caption, in README order

# capture NAME SESSION CAPTION
capture() {
  local size
  settle "$2"
  screen "$2" >"$OUT/$1.txt"
  size=$(T display-message -p -t "$2" '#{window_width}x#{window_height}')
  shots+=("$1|$size|$3")
  note "captured $OUT/$1.txt"
}

type_text() { T send-keys -t "$1" -l "$2"; }
press() { T send-keys -t "$1" "$2"; }
clear_search() {
  press "$1" Escape
  wait_for "$1" "Search: type a product"
}

# --- 80x24: a whole sale ---------------------------------------------------
s=shop
start "$s" 80 24
ready "$s"

type_text "$s" itunes
wait_for "$s" "Search: itunes"
wait_for "$s" "iTunes Gift Card 50 SAR"
capture catalog "$s" 'Catalogue, "itunes" typed'

type_text "$s" " 50"
wait_for "$s" "Search: itunes 50"
press "$s" Enter
wait_for "$s" "Customer pays"
capture confirm "$s" 'Confirm: the price read again from the provider, with VAT'

press "$s" Enter
wait_for "$s" "SOLD"
wait_for "$s" "Reference"
capture result "$s" 'Result: sold, with serial, PIN, expiry and how to use'

press "$s" Enter # next sale
wait_for "$s" "Search: type a product"
type_text "$s" "?"
wait_for "$s" "Keys on this screen"
capture help "$s" 'Help overlay: ? on any screen lists its keys'
type_text "$s" "?" # ? again closes it
wait_gone "$s" "Keys on this screen"

type_text "$s" esim
wait_for "$s" "Search: esim"
wait_for "$s" "eSIM"
press "$s" Enter
wait_for "$s" "Customer pays"
press "$s" Enter
wait_for "$s" "SOLD"
wait_for "$s" "█"
capture result-qr "$s" 'Result of an eSIM: the QR code drawn on screen'

press "$s" Enter
wait_for "$s" "Search: type a product"
press "$s" C-o
wait_for "$s" "Open sales"
wait_gone "$s" "Asking the providers"
capture open-sales "$s" 'Open sales (ctrl+o): every sale not settled yet'

# --- 80x24 in Arabic: ui.language = "ar", ui.bidi = "app" ------------------
# tmux does not reorder right-to-left text, so the app does (bidi = "app"),
# as on a kiosk whose terminal shows Arabic left to right.
T kill-session -t "$s" >/dev/null 2>&1 || true
a=arabic
mkdir -p "$tmp/$a/config/kiosk"
printf '[ui]\nlanguage = "ar"\nbidi = "app"\n' >"$tmp/$a/config/kiosk/config.toml"
start "$a" 80 24
# Arabic is drawn reordered and in joined letter forms, so the waits look
# for the Latin parts of each screen.
wait_for "$a" "T001"
wait_for "$a" "DT One"
settle "$a"
type_text "$a" itunes
wait_for "$a" "51.00 SAR" # iTunes 50 SAR, shown by its Arabic name
capture catalog-ar "$a" 'The catalogue in Arabic, "itunes" typed'
type_text "$a" " 50"
press "$a" Enter
wait_for "$a" "48.50 SAR" # its cost, on Confirm only
capture confirm-ar "$a" 'Confirm in Arabic'
press "$a" Enter
wait_for "$a" "BB0"
capture result-ar "$a" 'Result in Arabic: sold, with the PIN'

# --- 120x40: the wider catalogue ------------------------------------------
T kill-session -t "$s" >/dev/null 2>&1 || true
w=wide
start "$w" 120 40
ready "$w"
type_text "$w" itunes
wait_for "$w" "Search: itunes"
wait_for "$w" "iTunes Gift Card 50 SAR"
capture catalog-wide "$w" 'Catalogue on a wider terminal: wider brand and provider columns'

T kill-server >/dev/null 2>&1 || true

# --- PNGs, when ImageMagick and a monospace font are there -----------------
find_convert() {
  local c
  for c in magick convert convert-im6.q16 convert-im7.q16; do
    command -v "$c" >/dev/null 2>&1 || continue
    # A stand-in or another program named convert does not count.
    if "$c" -version 2>/dev/null | grep -q '^Version: ImageMagick'; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

find_font() {
  local f
  if command -v fc-match >/dev/null 2>&1; then
    for f in "DejaVu Sans Mono" "Noto Sans Mono" "Liberation Mono" monospace; do
      f=$(fc-match -f '%{file}' "$f" 2>/dev/null || true)
      case "$f" in *[Mm]ono*) [ -f "$f" ] && { echo "$f"; return 0; } ;; esac
    done
  fi
  for f in /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf \
    /usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf \
    /usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf \
    /System/Library/Fonts/Menlo.ttc; do
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

# cell: the font's character advance and line height, from two labels
# (ImageMagick's label: cannot take a whole screen of text at once).
cell() {
  local one ten four
  one=$("$convert" -font "$font" -pointsize 16 label:M -format '%w %h' info:)
  ten=$("$convert" -font "$font" -pointsize 16 label:MMMMMMMMMM -format '%w' info:)
  four=$("$convert" -font "$font" -pointsize 16 label:$'M\nM\nM\nM' -format '%h' info:)
  set -- $one
  adv=$(((ten - $1) / 9)) lineh=$(((four - $2) / 3))
  padw=$(($1 - adv)) padh=$(($2 - lineh))
}

# render TXT PNG COLS ROWS: the screen in light text on a dark terminal, on
# a canvas of the terminal's size, so all pictures of one terminal size are
# the same size.
render() {
  local txt=$1 png=$2 cols=$3 rows=$4 text
  text=$(cat "$txt")
  text=${text//\\/\\\\} # ImageMagick reads backslash escapes…
  text=${text//%/%%}    # …and percent escapes in annotation text
  "$convert" -size "$((cols * adv + padw))x$((rows * lineh + padh))" xc:'#1d1f21' \
    -font "$font" -pointsize 16 -fill '#c5c8c6' -gravity northwest -annotate +0+0 "$text" \
    -bordercolor '#1d1f21' -border 14 -depth 8 -strip "$png.tmp.png"
  mv "$png.tmp.png" "$png"
}

if convert=$(find_convert) && font=$(find_font); then
  cell
  for shot in "${shots[@]}"; do
    IFS='|' read -r name size _ <<<"$shot"
    render "$OUT/$name.txt" "$OUT/$name.png" "${size%x*}" "${size#*x}"
    note "drew $OUT/$name.png"
  done
else
  note "no ImageMagick with a monospace font found: PNGs skipped (the .txt screens are complete)"
fi

# --- README ----------------------------------------------------------------
start_marker='<!-- screenshots:start -->'
end_marker='<!-- screenshots:end -->'

section="$tmp/section.md"
{
  echo "<!-- Generated by scripts/screenshots.sh from the running app; edit the script, not this section. -->"
  for shot in "${shots[@]}"; do
    IFS='|' read -r name size caption <<<"$shot"
    fence='```'
    grep -q '```' "$OUT/$name.txt" && fence='~~~~'
    echo
    echo "**$caption** (${size/x/×}, [$name.txt]($OUT/$name.txt))"
    echo
    echo "${fence}text"
    cat "$OUT/$name.txt"
    echo "$fence"
  done
  echo
} >"$section"

if [ ! -f "$README" ]; then
  note "$README not found: README left as it is"
  exit 0
fi
starts=$(grep -cxF -- "$start_marker" "$README" || true)
ends=$(grep -cxF -- "$end_marker" "$README" || true)
first_start=$(grep -nxF -- "$start_marker" "$README" | head -1 | cut -d: -f1 || true)
first_end=$(grep -nxF -- "$end_marker" "$README" | head -1 | cut -d: -f1 || true)
if [ "$starts" != 1 ] || [ "$ends" != 1 ] || [ "$first_start" -ge "$first_end" ]; then
  note "$README has no single '$start_marker' … '$end_marker' pair (each on a line of its own): README left as it is"
  note "the screens are in $OUT/"
  exit 0
fi

awk -v s="$start_marker" -v e="$end_marker" -v section="$section" '
  $0 == s { print; while ((getline l < section) > 0) print l; skip = 1; next }
  $0 == e { skip = 0 }
  !skip { print }
' "$README" >"$tmp/README.new"

if cmp -s "$tmp/README.new" "$README"; then
  note "$README already up to date"
else
  cat "$tmp/README.new" >"$README" # keeps the file's mode and links
  note "$README: screenshots section rewritten"
fi
