# A stand-in for the postgres image, from Debian's postgresql, for trying compose.yaml where Docker Hub is out of
# reach (docs/container-image.md). Honours POSTGRES_USER and POSTGRES_DB; trust auth: local trials only.
ARG BASE=local/node:22-bookworm-slim
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
ENV PGDATA=/var/lib/postgresql/data PATH=/usr/lib/postgresql/15/bin:$PATH
USER postgres
CMD ["sh", "-c", "[ -s \"$PGDATA/PG_VERSION\" ] || { initdb -U \"${POSTGRES_USER:-postgres}\" --auth=trust -D \"$PGDATA\" >/dev/null && echo 'host all all all trust' >> \"$PGDATA/pg_hba.conf\" && pg_ctl -D \"$PGDATA\" -w start -o '-c listen_addresses=' >/dev/null && createdb -U \"${POSTGRES_USER:-postgres}\" \"${POSTGRES_DB:-postgres}\" && pg_ctl -D \"$PGDATA\" -w stop >/dev/null; }; exec postgres -c listen_addresses='*'"]
