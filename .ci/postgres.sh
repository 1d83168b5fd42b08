# Sourced by .ci/run: start PostgreSQL on 127.0.0.1:5432 (Debian's cluster tools) and
# export WIJKPROFIELEN_TEST_POSTGRES for the tests marked `postgres`. Safe to run twice
# and when the server already runs.
pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$pg_version" ]; then
  echo "postgres.sh: PostgreSQL is not installed; postgres tests will be skipped" >&2
else
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$pg_version main$"; then
    pg_createcluster "$pg_version" main -p 5432 >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$pg_version" '$1==v && $2=="main" {print $4}' | grep -q online; then
    pg_ctlcluster "$pg_version" main start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  su postgres -c "psql -q -p 5432 -d postgres -tc \"SELECT 1 FROM pg_roles WHERE rolname='wijk'\"" | grep -q 1 \
    || su postgres -c "psql -q -p 5432 -d postgres -c \"CREATE ROLE wijk LOGIN PASSWORD 'wijk'\""
  su postgres -c "psql -q -p 5432 -d postgres -tc \"SELECT 1 FROM pg_database WHERE datname='wijk_test'\"" | grep -q 1 \
    || su postgres -c "psql -q -p 5432 -d postgres -c \"CREATE DATABASE wijk_test OWNER wijk\""
  export WIJKPROFIELEN_TEST_POSTGRES="postgresql+psycopg://wijk:wijk@127.0.0.1:5432/wijk_test"
fi
