//! `plasma devnet --indexer-db postgres`: the indexer as it runs when one machine is not
//! enough — a throwaway Postgres server (`plasma_service::pg_server`, from the pinned npm
//! package), one `plasma-indexer --role writer` (follower, checker, watchtower; its URL
//! serves health, metrics and status) and two `--role api` replicas on the same
//! database. Ports: the first replica on the indexer port, the writer on the next one,
//! the second replica on the one after.

use std::path::Path;

use eyre::WrapErr;
use plasma_service::pg_server::PgServer;

use crate::indexers::{indexer_args, launch_indexer};
use crate::procs::{ProcError, Service};
use crate::stack::{Stack, StackConfig, WATCHTOWER_ACCOUNT};

/// The Postgres side of a devnet: the server and the API replicas (the writer is the
/// stack's `indexer`).
#[derive(Debug)]
pub struct PgIndexers {
    /// The API replicas, the first at the stack's indexer URL.
    pub replicas: Vec<Service>,
    /// The server, stopped and removed when dropped.
    pub server: PgServer,
}

impl PgIndexers {
    /// Waits until any replica exits and returns the error describing it.
    pub async fn any_exited(&mut self) -> ProcError {
        let (first, rest) = self.replicas.split_at_mut(1);
        tokio::select! {
            e = first[0].exited_error() => e,
            e = rest[0].exited_error() => e,
        }
    }
}

/// Starts the server, the writer (waiting until it is healthy, so the schema exists),
/// then both replicas.
pub(crate) async fn start(stack: &mut Stack, config: &StackConfig, bin: &Path) -> eyre::Result<()> {
    tracing::info!("starting a throwaway postgres server");
    let server = tokio::task::spawn_blocking(PgServer::start)
        .await
        .wrap_err("starting postgres")??;
    let url = server.database("indexer").await?;
    tracing::info!(port = server.port(), "postgres ready");
    let port = config.indexer_port;
    let e = &mut stack.endpoints;
    let writer_url = format!("http://127.0.0.1:{}", port + 1);
    let replica_urls = [port, port + 2].map(|p| format!("http://127.0.0.1:{p}"));
    let role = |role: &str| [("--database-url", url.clone()), ("--role", role.to_owned())];

    let [db, role_flag] = role("writer");
    let mut args = indexer_args(config, e, db, port + 1);
    args.push(role_flag);
    let log = config.data_dir.join("indexer-writer.log");
    let writer = launch_indexer(
        "plasma-indexer writer",
        bin,
        &args,
        &log,
        &writer_url,
        config.watchtower_key.then_some(WATCHTOWER_ACCOUNT),
    )
    .await?;
    stack.indexer = Some(writer);

    let mut replicas = Vec::new();
    for (i, (replica_url, replica_port)) in replica_urls.iter().zip([port, port + 2]).enumerate() {
        let [db, role_flag] = role("api");
        let mut args = indexer_args(config, e, db, replica_port);
        args.push(role_flag);
        let log = config.data_dir.join(format!("indexer-api-{}.log", i + 1));
        let name = format!("plasma-indexer api {}", i + 1);
        replicas.push(launch_indexer(&name, bin, &args, &log, replica_url, None).await?);
    }
    e.indexer_url = replica_urls[0].clone();
    e.indexer_replica_urls = replica_urls.to_vec();
    e.indexer_writer_url = Some(writer_url);
    e.indexer_database_url = Some(url);
    stack.postgres = Some(PgIndexers { replicas, server });
    Ok(())
}
