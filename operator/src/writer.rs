//! The group-commit writer: one task owns every write that backs an acknowledgement or a
//! sealed block. It drains whatever is queued, writes it in ONE SQLite transaction,
//! commits (fsync, WAL, `synchronous = FULL`) and only then answers each waiter. The
//! queue is FIFO and fed under the ledger lock, so the database order is the admission
//! order. On a storage failure it answers `false` to everyone and refuses all further
//! writes (the operator must be restarted; it then rebuilds from what was committed).

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use tokio::sync::{mpsc, oneshot};

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
}

/// A write and the channel its durability is reported on.
#[derive(Debug)]
pub(crate) struct WriteJob {
    pub(crate) cmd: WriteCmd,
    pub(crate) done: oneshot::Sender<bool>,
}

/// Handle to the writer task.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    tx: mpsc::UnboundedSender<WriteJob>,
    poisoned: Arc<AtomicBool>,
}

impl Writer {
    /// Starts the writer task.
    pub(crate) fn spawn(store: Store) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let poisoned = Arc::new(AtomicBool::new(false));
        tokio::spawn(run(store, rx, poisoned.clone()));
        Self { tx, poisoned }
    }

    /// Queues a write; the receiver yields `true` once it is committed. Synchronous, so it
    /// can be called under the ledger lock (which is what orders the queue).
    pub(crate) fn queue(&self, cmd: WriteCmd) -> oneshot::Receiver<bool> {
        let (done, rx) = oneshot::channel();
        // A closed channel drops `done`, which the waiter sees as a failure.
        let _ = self.tx.send(WriteJob { cmd, done });
        rx
    }

    /// Whether a write failed (no further writes are accepted).
    pub(crate) fn is_poisoned(&self) -> bool {
        self.poisoned.load(Ordering::SeqCst)
    }
}

async fn run(store: Store, mut rx: mpsc::UnboundedReceiver<WriteJob>, poisoned: Arc<AtomicBool>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let ok = !poisoned.load(Ordering::SeqCst)
            && match write_all(&store, &jobs).await {
                Ok(()) => true,
                Err(err) => {
                    tracing::error!(%err, "storage write failed; refusing further writes");
                    poisoned.store(true, Ordering::SeqCst);
                    false
                }
            };
        for job in jobs {
            let _ = job.done.send(ok);
        }
    }
}

async fn write_all(store: &Store, jobs: &[WriteJob]) -> Result<(), StoreError> {
    let mut db = store.begin().await?;
    for job in jobs {
        match &job.cmd {
            WriteCmd::Txs(rows) => Store::insert_txs(&mut db, rows).await?,
            WriteCmd::Block(row) => Store::insert_block(&mut db, row).await?,
        }
    }
    db.commit().await?;
    Ok(())
}
