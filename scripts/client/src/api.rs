//! HTTP clients for the operator (docs/SPEC.md, "Operator HTTP API") and the indexer's
//! REST API. Answers are the servers' own types (`plasma-rpc-types`).

use std::time::Duration;

use alloy::primitives::{Address, B256, Bytes};
use plasma_core::{block::BlockData, signed::SignedTxWire};
use plasma_rpc_types::ErrorBody;
pub use plasma_rpc_types::{
    indexer::{
        CanonicityProof, CompetitorData, Exit, ExitPage, HistoryPage, InFlightExit,
        InFlightExitData, InFlightExitPage, InFlightExitRequest, IndexerStatus, Utxo, UtxoPage,
    },
    operator::{OperatorStatus, Submitted},
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Errors talking to the operator or the indexer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The service could not be reached.
    #[error("{url}: {source}")]
    Http {
        /// The URL requested.
        url: String,
        /// The transport error.
        source: reqwest::Error,
    },
    /// The service answered with an error.
    #[error("{url} answered {status}: {code}: {message}")]
    Status {
        /// The URL requested.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The machine-readable error code (`double_spend`, `not_found`, …).
        code: String,
        /// The human message.
        message: String,
    },
    /// The answer was not the expected JSON.
    #[error("{url}: unexpected answer: {source}")]
    Decode {
        /// The URL requested.
        url: String,
        /// The JSON error.
        source: serde_json::Error,
    },
}

impl ClientError {
    /// The machine-readable code of an error answer, if the service answered.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Status { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// A JSON-over-HTTP client bound to one service's base URL.
#[derive(Debug, Clone)]
struct Json {
    base: String,
    http: reqwest::Client,
}

impl Json {
    fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a default reqwest client builds");
        Self {
            base: base.trim_end_matches('/').to_owned(),
            http,
        }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let url = format!("{}{path}", self.base);
        let request = self.http.get(&url);
        Self::finish(url, request).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        let url = format!("{}{path}", self.base);
        let request = self.http.post(&url).json(body);
        Self::finish(url, request).await
    }

    async fn finish<T: DeserializeOwned>(
        url: String,
        request: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let response = request.send().await.map_err(|source| ClientError::Http {
            url: url.clone(),
            source,
        })?;
        let status = response.status();
        let text = response.text().await.map_err(|source| ClientError::Http {
            url: url.clone(),
            source,
        })?;
        if !status.is_success() {
            let (code, message) = match serde_json::from_str::<ErrorBody>(&text) {
                Ok(body) => (body.error.code, body.error.message),
                Err(_) => ("http_error".to_owned(), text.chars().take(200).collect()),
            };
            return Err(ClientError::Status {
                url,
                status: status.as_u16(),
                code,
                message,
            });
        }
        serde_json::from_str(&text).map_err(|source| ClientError::Decode { url, source })
    }
}

/// The operator's HTTP API.
#[derive(Debug, Clone)]
pub struct OperatorClient(Json);

impl OperatorClient {
    /// A client for the operator at `base` (`http://127.0.0.1:8550`).
    pub fn new(base: &str) -> Self {
        Self(Json::new(base))
    }

    /// Submits one signed transaction.
    pub async fn submit(&self, tx: &SignedTxWire) -> Result<Submitted, ClientError> {
        self.0.post("/v1/transactions", tx).await
    }

    /// The operator's status document.
    pub async fn status(&self) -> Result<OperatorStatus, ClientError> {
        self.0.get("/v1/status").await
    }

    /// A child block's published data, decoded (every transaction canonical).
    pub async fn block(&self, blknum: u64) -> Result<BlockData, ClientError> {
        self.0.get(&format!("/v1/blocks/{blknum}")).await
    }
}

/// What a standard exit needs, served by the indexer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExitData {
    /// Position of the output.
    pub utxo_pos: u64,
    /// The transaction that created the output.
    pub tx_bytes: Bytes,
    /// The 512-byte Merkle proof.
    pub proof: Bytes,
    /// The block's commitment timestamp.
    pub block_timestamp: u64,
}

/// What a challenge needs, served by the indexer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeData {
    /// Position of the exiting output.
    pub utxo_pos: u64,
    /// The spending transaction.
    pub spending_tx: Bytes,
    /// The input of `spending_tx` that spends the output.
    pub input_index: u8,
    /// The owner's signature on that input.
    pub signature: Bytes,
}

/// The indexer's REST API.
#[derive(Debug, Clone)]
pub struct IndexerClient(Json);

impl IndexerClient {
    /// A client for the indexer at `base` (`http://127.0.0.1:8551`).
    pub fn new(base: &str) -> Self {
        Self(Json::new(base))
    }

    /// Unspent outputs of an address.
    pub async fn utxos(&self, owner: Address) -> Result<Vec<Utxo>, ClientError> {
        let page: UtxoPage = self
            .0
            .get(&format!("/v1/addresses/{owner:#x}/utxos"))
            .await?;
        Ok(page.utxos)
    }

    /// History of an address (deposits, transfers, exits), as the indexer serves it.
    pub async fn history(&self, owner: Address) -> Result<HistoryPage, ClientError> {
        self.0
            .get(&format!("/v1/addresses/{owner:#x}/history"))
            .await
    }

    /// Exit data for an output.
    pub async fn exit_data(&self, utxo_pos: u64) -> Result<ExitData, ClientError> {
        self.0
            .get(&format!("/v1/outputs/{utxo_pos}/exit-data"))
            .await
    }

    /// Challenge data for an exit of a spent output.
    pub async fn challenge_data(&self, utxo_pos: u64) -> Result<ChallengeData, ClientError> {
        self.0
            .get(&format!("/v1/exits/{utxo_pos}/challenge-data"))
            .await
    }

    /// The status document (heights, lag, byzantine events).
    pub async fn status(&self) -> Result<IndexerStatus, ClientError> {
        self.0.get("/v1/status").await
    }

    /// The arguments of `startInFlightExit` for a signed transaction.
    pub async fn inflight_exit_data(
        &self,
        request: &InFlightExitRequest,
    ) -> Result<InFlightExitData, ClientError> {
        self.0.post("/v1/inflight-exit-data", request).await
    }

    /// The oldest known transaction competing with `tx_bytes` for one of its inputs.
    pub async fn inflight_competitor(
        &self,
        tx_bytes: &Bytes,
    ) -> Result<CompetitorData, ClientError> {
        self.0
            .post("/v1/inflight-exit-competitor", &TxBody { tx_bytes })
            .await
    }

    /// The inclusion of `tx_bytes` in a valid block (proves an in-flight exit canonical).
    pub async fn canonicity_proof(&self, tx_bytes: &Bytes) -> Result<CanonicityProof, ClientError> {
        self.0
            .post("/v1/inflight-exit-canonicity-proof", &TxBody { tx_bytes })
            .await
    }

    /// The canonical bytes of the transaction at (`blknum`, `txindex`) of a valid block
    /// (deposit blocks included), or `None` when the indexer holds none there.
    pub async fn tx_at(&self, blknum: u64, txindex: u64) -> Result<Option<Bytes>, ClientError> {
        let block: BlockTxs = self
            .0
            .get(&format!("/v1/blocks/{blknum}?limit=1&offset={txindex}"))
            .await?;
        Ok(block
            .transactions
            .into_iter()
            .find(|t| t.txindex == txindex)
            .map(|t| t.tx))
    }

    /// Where a transaction was included (its output 0's position), or `None` when the
    /// indexer has it in no valid block.
    pub async fn tx_position(&self, tx_hash: B256) -> Result<Option<u64>, ClientError> {
        match self
            .0
            .get::<BlockTx>(&format!("/v1/transactions/{tx_hash:#x}"))
            .await
        {
            Ok(t) => Ok(plasma_core::position::UtxoPos::new(t.blknum, t.txindex, 0)
                .ok()
                .map(|p| p.0)),
            Err(e) if e.code() == Some("transaction_not_found") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// One in-flight exit, by id (the in-flight transaction's hash).
    pub async fn inflight_exit(&self, exit_id: B256) -> Result<InFlightExit, ClientError> {
        self.0
            .get(&format!("/v1/inflight-exits/{exit_id:#x}"))
            .await
    }

    /// A page of in-flight exits, in start order.
    pub async fn inflight_exits(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<InFlightExitPage, ClientError> {
        self.0
            .get(&format!("/v1/inflight-exits?limit={limit}&offset={offset}"))
            .await
    }

    /// A page of standard exits with `status` (`active`, `challenged`, `processed`),
    /// of `owner` when given, oldest first.
    pub async fn exits(
        &self,
        owner: Option<Address>,
        status: &str,
        limit: u32,
        offset: u64,
    ) -> Result<ExitPage, ClientError> {
        let owner = owner.map(|o| format!("owner={o:#x}&")).unwrap_or_default();
        self.0
            .get(&format!(
                "/v1/exits?{owner}status={status}&limit={limit}&offset={offset}"
            ))
            .await
    }
}

/// `{"txBytes": …}`: the body of the in-flight competitor and canonicity-proof requests.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TxBody<'a> {
    tx_bytes: &'a Bytes,
}

/// The part of `GET /v1/blocks/{blknum}` the client reads: its transactions' bytes.
#[derive(Deserialize)]
struct BlockTxs {
    transactions: Vec<BlockTx>,
}

/// One transaction of `GET /v1/blocks/{blknum}` and `GET /v1/transactions/{hash}`.
#[derive(Deserialize)]
struct BlockTx {
    blknum: u64,
    txindex: u64,
    tx: Bytes,
}
