//! The benchmarks' load generator: one HTTP/1.1 keep-alive connection per client, one
//! request in flight on each, written and read with no more than the benchmark needs
//! (a `Content-Length` body each way). It shares the machine's cores with the operator,
//! so it is kept about as cheap as `wrk`'s loop rather than a general client
//! (docs/OPERATOR.md, "Single requests").

use std::io::Write as _;

use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

/// One client connection to `http://host:port/path`.
pub struct Conn {
    stream: BufReader<TcpStream>,
    /// `POST /path HTTP/1.1` and the fixed headers, up to `Content-Length: `.
    head: Vec<u8>,
    request: Vec<u8>,
    line: String,
}

impl Conn {
    /// Connects to the URL's host (loopback benchmarks: `http://` only).
    pub async fn open(url: &str) -> Self {
        let rest = url.strip_prefix("http://").expect("an http:// URL");
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let stream = TcpStream::connect(host).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let head = format!(
            "POST {path} HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\ncontent-length: "
        )
        .into_bytes();
        Self {
            stream: BufReader::new(stream),
            head,
            request: Vec::new(),
            line: String::new(),
        }
    }

    /// Posts `body`; returns the status and the answer's body.
    pub async fn post_json(&mut self, body: &[u8]) -> (u16, Vec<u8>) {
        self.request.clear();
        self.request.extend_from_slice(&self.head);
        let _ = write!(self.request, "{}\r\n\r\n", body.len());
        self.request.extend_from_slice(body);
        self.stream
            .get_mut()
            .write_all(&self.request)
            .await
            .expect("send");
        let status: u16 = {
            let line = self.read_line().await;
            line.split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("status line {line:?}"))
        };
        let mut length = None;
        loop {
            let header = self.read_line().await;
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = Some(value.trim().parse().expect("content-length"));
            }
        }
        let mut answer = vec![0; length.expect("a content-length answer")];
        self.stream
            .read_exact(&mut answer)
            .await
            .expect("answer body");
        (status, answer)
    }

    /// One header line without its CRLF (borrowed from the connection's line buffer).
    async fn read_line(&mut self) -> &str {
        self.line.clear();
        let n = self.stream.read_line(&mut self.line).await.expect("read");
        assert!(n > 0, "the server closed the connection");
        self.line.trim_end_matches(['\r', '\n'])
    }
}
