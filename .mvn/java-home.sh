# Sourced (POSIX sh) by ./mvnw and the project's scripts. The suite is built for Java 21 and runs
# on the newest JDK found (Temurin 25 on the machines it is developed on): when JAVA_HOME is unset
# or points at an older JDK, pick the newest JDK 21+ under /usr/lib/jvm, so no command needs a
# manual step. An explicit JAVA_HOME of 21 or later is kept.
payments_jdk_major() {
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n 1
}
payments_pick_jdk() {
  _home="${JAVA_HOME:-}"
  if [ -z "$_home" ] && command -v java >/dev/null 2>&1; then
    _home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
  _major="$(payments_jdk_major "$_home")"
  if [ "${_major:-0}" -ge 21 ] 2>/dev/null; then
    export JAVA_HOME="$_home"
  else
    _best="" _best_major=0
    for _dir in $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null); do
      [ -x "$_dir/bin/javac" ] || continue
      _m="$(payments_jdk_major "$_dir")"
      if [ "${_m:-0}" -gt "$_best_major" ] 2>/dev/null; then _best="$_dir" _best_major="$_m"; fi
    done
    if [ "$_best_major" -ge 21 ]; then
      export JAVA_HOME="$_best"
    else
      echo "The suite needs a JDK 21 or later (set JAVA_HOME); found ${_major:-no} JDK." >&2
      return 1
    fi
  fi
  # Maven's own Guice still uses sun.misc.Unsafe: keep JDK 24+ from warning about it on every build.
  if [ "$(payments_jdk_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
    case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
  case ":$PATH:" in *":$JAVA_HOME/bin:"*) ;; *) export PATH="$JAVA_HOME/bin:$PATH" ;; esac
  unset _home _major _best _best_major _dir _m
}
payments_pick_jdk
