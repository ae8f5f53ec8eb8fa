#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# native6.t - natc6 programs native nf_tables expressions: native.t (see
# its head) on table ip6 nat, with natc6 and testsuite/native6/corpus.
#
# Environment:
#   NATC6                the tool under test (default: natc6 beside natc)
#   NATIVE6_CORPUS       corpus file (default testsuite/native6/corpus)
#   NATIVE_ONLY, NATIVE_VERBOSE, NATIVE_SELFTEST   as for native.t

NATC=${NATC6:-$(cd "$(dirname "$0")/.." && pwd)/natc6}
NATIVE_FAMILY=ip6
NATIVE_CORPUS=${NATIVE6_CORPUS:-$(dirname "$0")/native6/corpus}
# shellcheck source=testsuite/native.t
. "$(dirname "$0")/native.t"
