#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make install / uninstall: PREFIX, DESTDIR, SBINDIR, MANDIR, the optional
# makedumpfile name; the installed binary dumps like the built one.
. "$(dirname "$0")/../lib.sh"

D=$WORK/dest
inst() { make -C "$ROOT" --no-print-directory "$@"; }
# files DIR -> every non-directory under DIR, relative, with its type
files() { (cd "$1" && find . ! -type d -printf '%y %p\n' | LC_ALL=C sort -k2); }

check "make install DESTDIR PREFIX=/usr" inst install DESTDIR="$D" PREFIX=/usr
check_eq "... installs the binary and the man page, nothing else" \
	"$(printf 'f ./usr/sbin/vmsift\nf ./usr/share/man/man8/vmsift.8')" "$(files "$D")"
check_eq "... the binary is mode 755" 755 "$(stat -c %a "$D/usr/sbin/vmsift" 2>&1)"
check_eq "... the man page is mode 644" 644 "$(stat -c %a "$D/usr/share/man/man8/vmsift.8" 2>&1)"
check "... the man page renders without warnings" \
	bash -c "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$D/usr/share/man/man8/vmsift.8' 2>&1 >/dev/null | (! grep .)"

# The installed binary makes the same dump as the built one.
"$MKVMCORE" --mem 64M --seed 3 -o "$WORK/core" >/dev/null
check "the installed vmsift dumps" "$D/usr/sbin/vmsift" -l -d 31 --message-level 0 "$WORK/core" "$WORK/inst.dump"
"$VMSIFT" -l -d 31 --message-level 0 "$WORK/core" "$WORK/built.dump" >/dev/null 2>&1
check "... the same bytes as the built vmsift" cmp "$WORK/inst.dump" "$WORK/built.dump"

check "make uninstall" inst uninstall DESTDIR="$D" PREFIX=/usr
check_eq "... removes every file" "" "$(files "$D")"

# SBINDIR and MANDIR; the default PREFIX is /usr/local.
check "SBINDIR, MANDIR" inst install DESTDIR="$D" SBINDIR=/sbin MANDIR=/opt/man
check_eq "... are used" "$(printf 'f ./opt/man/man8/vmsift.8\nf ./sbin/vmsift')" "$(files "$D")"
inst uninstall DESTDIR="$D" SBINDIR=/sbin MANDIR=/opt/man >/dev/null 2>&1
rm -rf "$D"
check "default PREFIX" inst install DESTDIR="$D"
check_eq "... is /usr/local" \
	"$(printf 'f ./usr/local/sbin/vmsift\nf ./usr/local/share/man/man8/vmsift.8')" "$(files "$D")"

# The makedumpfile name: symlinks to vmsift, which then signs as makedumpfile.
rm -rf "$D"
check "INSTALL_MAKEDUMPFILE=1" inst install DESTDIR="$D" PREFIX=/usr INSTALL_MAKEDUMPFILE=1
check_eq "... adds the makedumpfile name and man page as symlinks" \
	"$(printf 'l ./usr/sbin/makedumpfile\nf ./usr/sbin/vmsift\nl ./usr/share/man/man8/makedumpfile.8\nf ./usr/share/man/man8/vmsift.8')" \
	"$(files "$D")"
check_eq "... relative, to vmsift" "vmsift vmsift.8" \
	"$(readlink "$D/usr/sbin/makedumpfile") $(readlink "$D/usr/share/man/man8/makedumpfile.8")"
"$D/usr/sbin/makedumpfile" -f -l -d 31 "$WORK/core" "$WORK/mdf.dump" > "$WORK/mdf.log" 2>&1
check_grep "... which runs and signs as makedumpfile" "^makedumpfile Completed\." "$WORK/mdf.log"
check "... with the same dump" cmp "$WORK/mdf.dump" "$WORK/built.dump"
check "install-makedumpfile-name again (idempotent)" inst install-makedumpfile-name DESTDIR="$D" PREFIX=/usr
check "uninstall" inst uninstall DESTDIR="$D" PREFIX=/usr
check_eq "... removes the symlinks too" "" "$(files "$D")"

# A real makedumpfile at that place is neither replaced nor removed.
mkdir -p "$D/usr/sbin"
echo "real makedumpfile" > "$D/usr/sbin/makedumpfile"
check_fails "install-makedumpfile-name over a real makedumpfile fails" \
	inst install-makedumpfile-name DESTDIR="$D" PREFIX=/usr
check_eq "... and leaves it alone" "real makedumpfile" "$(cat "$D/usr/sbin/makedumpfile")"
inst uninstall DESTDIR="$D" PREFIX=/usr >/dev/null 2>&1
check_eq "uninstall leaves a real makedumpfile alone" "real makedumpfile" "$(cat "$D/usr/sbin/makedumpfile")"

finish
