//! A TCP proxy in front of anvil that can cut the services off the root chain: while
//! paused it drops every open connection and every new one, as an RPC outage does.

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The proxy; it stops when dropped.
#[derive(Debug)]
pub struct RpcProxy {
    url: String,
    paused: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RpcProxy {
    /// Listens on a free loopback port and forwards every connection to `upstream`.
    pub async fn start(upstream: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let (paused, watch) = watch::channel(false);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if *watch.borrow() {
                    continue; // dropped: the client sees the connection closed
                }
                tokio::spawn(forward(client, upstream, watch.clone()));
            }
        });
        Ok(Self { url, paused, task })
    }

    /// The URL to give the services instead of anvil's.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Cuts every connection until [`RpcProxy::resume`].
    pub fn pause(&self) {
        self.paused.send_replace(true);
    }

    /// Forwards again.
    pub fn resume(&self) {
        self.paused.send_replace(false);
    }
}

impl Drop for RpcProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward(mut client: TcpStream, upstream: SocketAddr, mut paused: watch::Receiver<bool>) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = paused.wait_for(|p| *p) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// An echo server behind the proxy: bytes pass, a pause cuts the open connection and
    /// refuses new ones, a resume lets them through again.
    #[tokio::test]
    async fn pause_cuts_connections_and_resume_restores_them() {
        let echo = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let upstream = echo.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = echo.accept().await {
                tokio::spawn(async move {
                    let (mut r, mut w) = s.split();
                    let _ = tokio::io::copy(&mut r, &mut w).await;
                });
            }
        });
        let proxy = RpcProxy::start(upstream).await.unwrap();
        let addr = proxy.url().trim_start_matches("http://").to_owned();
        let roundtrip = |addr: String| async move {
            let mut s = TcpStream::connect(addr).await.ok()?;
            s.write_all(b"ping").await.ok()?;
            let mut buf = [0u8; 4];
            s.read_exact(&mut buf).await.ok()?;
            Some(buf)
        };
        assert_eq!(roundtrip(addr.clone()).await, Some(*b"ping"));

        let mut open = TcpStream::connect(&addr).await.unwrap();
        open.write_all(b"a").await.unwrap();
        let mut one = [0u8; 1];
        open.read_exact(&mut one).await.unwrap();
        proxy.pause();
        let mut rest = Vec::new();
        let cut = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            open.read_to_end(&mut rest),
        )
        .await
        .expect("the open connection is cut");
        assert!(
            cut.is_err() || rest.is_empty(),
            "nothing passes once paused"
        );
        assert_eq!(
            roundtrip(addr.clone()).await,
            None,
            "new connections are refused"
        );

        proxy.resume();
        assert_eq!(roundtrip(addr).await, Some(*b"ping"));
    }
}
