# Sourced by test.sh: builds the previous version of the platform (the commit tests/previous-version names) for the
# rolling-upgrade test, from this clone's history, into .test-services/previous/<commit>/ (kept between runs), and
# exports JACAMENO_PREVIOUS_BUILD (its source root, built as this one is). Where the commit is not in the clone (a
# shallow one) and cannot be fetched, it exports JACAMENO_PREVIOUS_BUILD_MISSING with the reason and the test says
# it is skipped. A build that fails leaves no marker; the test then fails with the build's log.
previous_build() {
  local commit dir
  commit=$(grep -v '^#' "$repo/tests/previous-version" | head -n 1 | tr -d '[:space:]')
  if ! git -C "$repo" cat-file -e "$commit^{commit}" 2>/dev/null; then
    git -C "$repo" fetch --quiet --depth 1 origin "$commit" 2>/dev/null || true
  fi
  if ! git -C "$repo" cat-file -e "$commit^{commit}" 2>/dev/null; then
    export JACAMENO_PREVIOUS_BUILD_MISSING="the previous version's commit $commit (tests/previous-version) is not in this clone"
    log "$JACAMENO_PREVIOUS_BUILD_MISSING: the upgrade test is skipped"
    return 0
  fi
  dir="$repo/.test-services/previous/$commit"
  export JACAMENO_PREVIOUS_BUILD="$dir/src"
  if [ -f "$dir/built" ]; then
    return 0
  fi
  log "building the previous version ($commit) for the upgrade test"
  rm -rf "$dir" && mkdir -p "$dir/src"
  git -C "$repo" archive "$commit" | tar -x -C "$dir/src"
  # Its web app is not needed (the test speaks to its API), and a newer SDK's new warnings must not fail an old build.
  if dotnet build "$dir/src/frontend/Jacameno.Frontend.csproj" -c Release -nologo -clp:ErrorsOnly -p:SkipWebApp=true -p:TreatWarningsAsErrors=false > "$dir/build.log" 2>&1 &&
     dotnet build "$dir/src/silo/Jacameno.Silo.csproj" -c Release -nologo -clp:ErrorsOnly -p:SkipWebApp=true -p:TreatWarningsAsErrors=false >> "$dir/build.log" 2>&1; then
    touch "$dir/built"
  else
    log "the previous version did not build (the upgrade test will fail): $dir/build.log"
    tail -n 20 "$dir/build.log"
  fi
}
previous_build
