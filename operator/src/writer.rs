//! The group-commit writer: one task owns every write that backs an acknowledgement or a
//! sealed block. It drains whatever is queued, writes it in ONE SQLite transaction,
//! commits (fsync, WAL, `synchronous = FULL`) and only then answers each waiter. The
//! queue is FIFO and fed under the ledger lock, so the database order is the admission
//! order.
//!
//! On a storage failure the writer answers `false` to the failed group and enters the
//! *failed* state: it refuses every write (answers `false`) until the node has rebuilt
//! its in-memory state from the database and called [`Writer::recovered`]. Each job
//! carries the *generation* it was queued in; `recovered` starts a new one, so a job
//! queued against the discarded state is refused even if it is written after recovery.
//! [`WriteCmd::Probe`] jobs are still served while failed: they test whether storage
//! takes writes again (`node::recover` drives them).

use std::sync::{
    Arc,
    atomic::{AtomicBool, AtomicU64, Ordering},
};

use tokio::sync::{Notify, mpsc, oneshot};

use crate::store::{LoggedTx, SealedBlock, Store, StoreError};

/// Most queued jobs folded into one commit.
const MAX_GROUP: usize = 4096;

/// What to write.
#[derive(Debug)]
pub(crate) enum WriteCmd {
    /// Append acknowledged transactions.
    Txs(Vec<LoggedTx>),
    /// Record a sealed block.
    Block(SealedBlock),
    /// Test whether storage takes writes (served even while failed).
    Probe,
}

/// A write and the channel its durability is reported on.
#[derive(Debug)]
pub(crate) struct WriteJob {
    cmd: WriteCmd,
    generation: u64,
    done: oneshot::Sender<bool>,
}

/// The state the writer shares with its handles.
#[derive(Debug, Default)]
struct Shared {
    failed: AtomicBool,
    generation: AtomicU64,
    failed_wake: Notify,
}

impl Shared {
    fn fail(&self) {
        self.failed.store(true, Ordering::SeqCst);
        self.failed_wake.notify_one();
    }
}

/// Handle to the writer task.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    tx: mpsc::UnboundedSender<WriteJob>,
    shared: Arc<Shared>,
}

impl Writer {
    /// Starts the writer task.
    pub(crate) fn spawn(store: Store) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared::default());
        tokio::spawn(run(store, rx, shared.clone()));
        Self { tx, shared }
    }

    /// Queues a write; the receiver yields `true` once it is committed. Synchronous, so it
    /// can be called under the ledger lock (which is what orders the queue and ties the
    /// job to the generation of the state it was derived from).
    pub(crate) fn queue(&self, cmd: WriteCmd) -> oneshot::Receiver<bool> {
        let (done, rx) = oneshot::channel();
        let generation = self.shared.generation.load(Ordering::SeqCst);
        // A closed channel drops `done`, which the waiter sees as a failure.
        let _ = self.tx.send(WriteJob {
            cmd,
            generation,
            done,
        });
        rx
    }

    /// Whether storage failed and writes are refused until the node recovers.
    pub(crate) fn is_failed(&self) -> bool {
        self.shared.failed.load(Ordering::SeqCst)
    }

    /// Refuses writes from now on (a write outside the writer failed, or the start-up
    /// probe did): the node must rebuild its state before writing again.
    pub(crate) fn fail(&self) {
        self.shared.fail();
    }

    /// Waits until storage has failed.
    pub(crate) async fn failed(&self) {
        loop {
            let woken = self.shared.failed_wake.notified();
            if self.is_failed() {
                return;
            }
            woken.await;
        }
    }

    /// Whether a real write commits now. Queued behind every earlier job, so when it is
    /// answered no earlier group is still being written.
    pub(crate) async fn probe(&self) -> bool {
        self.queue(WriteCmd::Probe).await.unwrap_or(false)
    }

    /// The node's state was rebuilt from the database: accept writes again, and refuse
    /// every job queued before (a new generation). Call under the ledger lock.
    pub(crate) fn recovered(&self) {
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        self.shared.failed.store(false, Ordering::SeqCst);
    }
}

async fn run(store: Store, mut rx: mpsc::UnboundedReceiver<WriteJob>, shared: Arc<Shared>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let (probes, writes): (Vec<_>, Vec<_>) = jobs
            .into_iter()
            .partition(|j| matches!(j.cmd, WriteCmd::Probe));
        let generation = shared.generation.load(Ordering::SeqCst);
        let failed = shared.failed.load(Ordering::SeqCst);
        let (live, stale): (Vec<_>, Vec<_>) = writes
            .into_iter()
            .partition(|j| !failed && j.generation == generation);
        for job in stale {
            let _ = job.done.send(false);
        }
        if !live.is_empty() {
            let ok = match write_all(&store, &live).await {
                Ok(()) => true,
                Err(err) => {
                    tracing::error!(%err, "storage write failed; refusing writes until it recovers");
                    shared.fail();
                    false
                }
            };
            for job in live {
                let _ = job.done.send(ok);
            }
        }
        for job in probes {
            let ok = match store.probe().await {
                Ok(()) => true,
                Err(err) => {
                    tracing::warn!(%err, "storage probe failed");
                    false
                }
            };
            let _ = job.done.send(ok);
        }
    }
}

async fn write_all(store: &Store, jobs: &[WriteJob]) -> Result<(), StoreError> {
    let mut db = store.begin().await?;
    // Every job's rows in one statement (they commit together, so their order within the
    // transaction is immaterial): a group of single-transaction requests is one insert.
    let txs: Vec<&LoggedTx> = jobs
        .iter()
        .flat_map(|job| match &job.cmd {
            WriteCmd::Txs(rows) => rows.as_slice(),
            WriteCmd::Block(_) | WriteCmd::Probe => &[],
        })
        .collect();
    Store::insert_txs(&mut db, &txs).await?;
    for job in jobs {
        if let WriteCmd::Block(row) = &job.cmd {
            Store::insert_block(&mut db, row).await?;
        }
    }
    db.commit().await?;
    Ok(())
}
