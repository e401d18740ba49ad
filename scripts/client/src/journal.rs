//! The wallet journal: every transaction the wallet signs, recorded durably *before* it is
//! submitted, with what became of it. While a transaction is not known to be included,
//! the journal holds everything its in-flight exit needs (the bytes and the signatures),
//! so an operator that withholds or censors it never leaves the user without a way out.
//!
//! One file per wallet directory, `journal.jsonl`: JSON lines, append-only, each line a
//! full snapshot of one entry; the last line of an id is its state. Each append is
//! fsynced (and the directory, when the file is created) before the call returns, under
//! an exclusive lock of the file, so concurrent `plasma send`s never share an id. A
//! torn last line (a crash mid-write) is ignored; any other undecodable line is an
//! error. Entries carry the chain id and the root-chain contract, so one journal serves
//! several deployments without mixing them.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use alloy::primitives::{Address, B256, Bytes};
use plasma_core::signed::SignedTxWire;
use serde::{Deserialize, Serialize};

/// The journal file's name inside the wallet directory.
pub const JOURNAL_FILE: &str = "journal.jsonl";

/// Errors of the journal.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// Reading or writing the file failed.
    #[error("journal {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A complete line does not decode.
    #[error("journal {path} line {line}: {source}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// No entry matches.
    #[error("no journal entry {0} for this deployment")]
    NotFound(String),
}

/// What became of a signed transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum EntryState {
    /// Signed and recorded; not (yet) acknowledged by the operator.
    Signed,
    /// The operator acknowledged it (it will be in a block unless the operator cheats).
    Acknowledged,
    /// The operator refused it. Its signatures exist all the same: it stays exitable.
    Refused {
        /// The operator's error code.
        code: String,
        /// Its message.
        message: String,
    },
    /// Seen in a valid block at `tx_pos` (its output 0's position).
    Included {
        /// Position of the transaction (oindex 0).
        #[serde(rename = "txPos")]
        tx_pos: u64,
    },
    /// Its in-flight exit was started.
    InFlightExited {
        /// The exit id (the transaction's hash).
        #[serde(rename = "exitId")]
        exit_id: B256,
        /// The root-chain transaction that started it, when this wallet started it.
        #[serde(rename = "rootTx")]
        root_tx: Option<B256>,
    },
}

impl EntryState {
    /// Whether the transaction's fate is still open: not seen included, no in-flight exit
    /// started. Such a transaction can be exited in flight.
    pub const fn is_pending(&self) -> bool {
        matches!(
            self,
            Self::Signed | Self::Acknowledged | Self::Refused { .. }
        )
    }
}

/// One journal entry (one line of the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// Short id, 1, 2, … in signing order.
    pub id: u64,
    /// Hash of the transaction bytes (also its in-flight exit id).
    pub tx_hash: B256,
    /// Root-chain id of the deployment.
    pub chain_id: u64,
    /// The deployment's RootChain.
    pub root_chain: Address,
    /// The signer.
    pub from: Address,
    /// Canonical transaction bytes.
    pub tx: Bytes,
    /// One signature per input.
    pub signatures: Vec<Bytes>,
    /// What became of it.
    #[serde(flatten)]
    pub state: EntryState,
    /// Unix time of this state.
    pub updated_at: u64,
}

impl Entry {
    /// The signed transaction, as submitted and as an in-flight exit needs it.
    pub fn signed(&self) -> SignedTxWire {
        SignedTxWire {
            tx: self.tx.clone(),
            signatures: self.signatures.clone(),
        }
    }
}

/// The journal of one wallet directory, seen for one deployment.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    chain_id: u64,
    root_chain: Address,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.to_owned(),
        source,
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Journal {
    /// The journal in `dir` (created when missing) for the deployment on `chain_id` at
    /// `root_chain`.
    pub fn open(dir: &Path, chain_id: u64, root_chain: Address) -> Result<Self, JournalError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        Ok(Self {
            path: dir.join(JOURNAL_FILE),
            chain_id,
            root_chain,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every entry of this deployment in its latest state, by id.
    pub fn entries(&self) -> Result<Vec<Entry>, JournalError> {
        Ok(self
            .all()?
            .into_values()
            .filter(|e| e.chain_id == self.chain_id && e.root_chain == self.root_chain)
            .collect())
    }

    /// The latest state of every id in the file (all deployments).
    fn all(&self) -> Result<BTreeMap<u64, Entry>, JournalError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(io(&self.path)(e)),
        };
        let mut latest = BTreeMap::new();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        if complete.len() + 1 < text.len() {
            tracing::warn!(path = %self.path.display(), "journal: ignoring a torn last line");
        }
        for (n, line) in complete.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let entry: Entry =
                serde_json::from_str(line).map_err(|source| JournalError::Corrupt {
                    path: self.path.clone(),
                    line: n + 1,
                    source,
                })?;
            latest.insert(entry.id, entry);
        }
        Ok(latest)
    }

    /// Records a transaction `from` signed, before anything else is done with it. A
    /// transaction already in the journal keeps its entry (and its state).
    pub fn record_signed(
        &self,
        from: Address,
        signed: &SignedTxWire,
    ) -> Result<Entry, JournalError> {
        let mut file = self.locked()?;
        let all = self.all()?;
        let tx_hash = alloy::primitives::keccak256(&signed.tx);
        if let Some(e) = all.values().find(|e| {
            e.tx_hash == tx_hash && e.chain_id == self.chain_id && e.root_chain == self.root_chain
        }) {
            return Ok(e.clone());
        }
        let entry = Entry {
            id: all.keys().next_back().map_or(1, |id| id + 1),
            tx_hash,
            chain_id: self.chain_id,
            root_chain: self.root_chain,
            from,
            tx: signed.tx.clone(),
            signatures: signed.signatures.clone(),
            state: EntryState::Signed,
            updated_at: now(),
        };
        self.append(&mut file, &entry)?;
        Ok(entry)
    }

    /// Moves entry `id` to `state`.
    pub fn set_state(&self, id: u64, state: EntryState) -> Result<Entry, JournalError> {
        let mut file = self.locked()?;
        let mut entry = self.get(&id.to_string())?;
        if entry.state == state {
            return Ok(entry);
        }
        entry.state = state;
        entry.updated_at = now();
        self.append(&mut file, &entry)?;
        Ok(entry)
    }

    /// The entry named by `key`: its id (`3`) or its transaction hash (`0x…`).
    pub fn get(&self, key: &str) -> Result<Entry, JournalError> {
        let key = key.trim();
        let entries = self.entries()?;
        let found = if let Ok(id) = key.parse::<u64>() {
            entries.into_iter().find(|e| e.id == id)
        } else {
            let hash = key.parse::<B256>().ok();
            entries
                .into_iter()
                .find(|e| hash.is_some_and(|h| h == e.tx_hash))
        };
        found.ok_or_else(|| JournalError::NotFound(key.to_owned()))
    }

    /// The file opened for appending (created, and its directory fsynced, when missing),
    /// locked exclusively until it is dropped.
    fn locked(&self) -> Result<File, JournalError> {
        let created = !self.path.exists();
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(io(&self.path))?;
        file.lock().map_err(io(&self.path))?;
        if created && let Some(dir) = self.path.parent() {
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(io(dir))?;
        }
        Ok(file)
    }

    /// Appends one line to the locked file and fsyncs it.
    fn append(&self, file: &mut File, entry: &Entry) -> Result<(), JournalError> {
        let mut line = serde_json::to_string(entry).map_err(|source| JournalError::Corrupt {
            path: self.path.clone(),
            line: 0,
            source,
        })?;
        line.push('\n');
        file.write_all(line.as_bytes()).map_err(io(&self.path))?;
        file.sync_all().map_err(io(&self.path))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
