# graphql-js.sh: finds (or installs) graphql@16.15.0 for the differential tests
# and benchmarks. Source it from a POSIX sh script, then call
#
#   find_graphql_js ABS_TOP_SRCDIR TMPDIR     # sets $gjs, or returns 1 (message on stderr)
#
# with $NODE set (and $me, the caller's name for messages). Looks, in order, at
#   $GRAPHQL_JS_DIR                 (a node_modules folder; used as given)
#   ABS_TOP_SRCDIR/tests/node_modules
# and otherwise runs `npm ci` from tests/package-lock.json into
#   ABS_TOP_SRCDIR/tests            when writable (it is .gitignored there), or
#   TMPDIR/npm                      (a read-only source tree: make distcheck)
# Installs into tests/ take a lock (tests/.npm-ci.lock, a directory) so that
# runners started in parallel by `make -j check` do not run npm ci over each
# other; a runner that cannot get the lock within 120 s installs into TMPDIR.

graphql_js_want=16.15.0

graphql_js_version() { # node_modules dir -> version, or nothing
    [ -f "$1/graphql/package.json" ] || return 0
    "$NODE" -e 'process.stdout.write(require(process.argv[1]).version)' "$1/graphql/package.json" 2> /dev/null
}

graphql_js_npm_ci() { # dir holding package.json + package-lock.json
    graphql_js_npm=$(dirname "$NODE")/npm
    [ -x "$graphql_js_npm" ] || graphql_js_npm=npm
    echo "${me:-graphql-js.sh}: installing graphql@$graphql_js_want with npm ci in $1" >&2
    (cd "$1" && "$graphql_js_npm" ci --no-audit --no-fund --update-notifier=false --loglevel=error) >&2
}

graphql_js_tmp_install() { # TMPDIR
    mkdir -p "$1/npm" &&
        cp "$graphql_js_src/tests/package.json" "$graphql_js_src/tests/package-lock.json" "$1/npm/" &&
        graphql_js_npm_ci "$1/npm" &&
        gjs=$1/npm/node_modules
}

find_graphql_js() { # ABS_TOP_SRCDIR TMPDIR
    graphql_js_src=$1
    gjs=
    if [ -n "${GRAPHQL_JS_DIR:-}" ]; then
        gjs=$GRAPHQL_JS_DIR
    elif [ "$(graphql_js_version "$1/tests/node_modules")" = "$graphql_js_want" ]; then
        gjs=$1/tests/node_modules
    elif [ -w "$1/tests" ]; then
        graphql_js_lock=$1/tests/.npm-ci.lock
        graphql_js_waited=0
        while ! mkdir "$graphql_js_lock" 2> /dev/null; do
            if [ "$graphql_js_waited" -ge 120 ]; then
                echo "${me:-graphql-js.sh}: $graphql_js_lock held for 120 s; installing privately" >&2
                graphql_js_tmp_install "$2" || return 1
                break
            fi
            sleep 1
            graphql_js_waited=$((graphql_js_waited + 1))
        done
        if [ -z "$gjs" ]; then
            # Another runner may have installed it while we waited.
            if [ "$(graphql_js_version "$1/tests/node_modules")" != "$graphql_js_want" ]; then
                graphql_js_npm_ci "$1/tests" || { rmdir "$graphql_js_lock"; return 1; }
            fi
            rmdir "$graphql_js_lock"
            gjs=$1/tests/node_modules
        fi
    else
        graphql_js_tmp_install "$2" || return 1
    fi
    gjs=$(cd "$gjs" && pwd) || return 1
    graphql_js_have=$(graphql_js_version "$gjs")
    if [ "$graphql_js_have" != "$graphql_js_want" ]; then
        echo "${me:-graphql-js.sh}: $gjs holds graphql ${graphql_js_have:-(none)}, not $graphql_js_want" >&2
        return 1
    fi
    return 0
}
