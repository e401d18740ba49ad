//! The in-memory chain state: the UTXO set, the positions spent by sealed blocks, the
//! inputs reserved by pending transactions, the exit events seen per output (and the
//! piggybacked outputs of in-flight transactions, in [`piggyback`]), and the mempool in
//! acceptance order.
//!
//! It is a cache of the database: every change to it is made only after (outputs of a
//! sealed block, deposits) or together with (admission, under the same lock that orders
//! the writes) the durable write, and it is rebuilt from the database on start-up.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::Arc,
};

use alloy::primitives::B256;
use plasma_core::{
    CHILD_BLOCK_INTERVAL, Output, UtxoPos,
    exit::{ExitPhase, spend_admissible},
    signed::HashedTx,
    transition::{InputError, UtxoSource, created},
};

use crate::store::ExitKind;

mod piggyback;

/// A transaction accepted but not yet in a sealed block (as logged in the store).
pub use crate::store::LoggedTx as PendingTx;

/// Transactions taken from the mempool for the next block.
#[derive(Debug)]
pub struct SealJob {
    /// The child-block number they go into.
    pub blknum: u64,
    /// The transactions, in block order.
    pub txs: Vec<PendingTx>,
}

/// The root-chain exit events seen for one output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ExitSeen {
    started: bool,
    challenged: bool,
    processed: bool,
    in_flight: bool,
    /// Piggybacked as an output of an in-flight exit (not a stored kind: derived from the
    /// output piggybacks and the transaction's position).
    piggybacked: bool,
}

impl ExitSeen {
    fn flag(&mut self, kind: ExitKind) -> &mut bool {
        match kind {
            ExitKind::Started => &mut self.started,
            ExitKind::Challenged => &mut self.challenged,
            ExitKind::Processed => &mut self.processed,
            ExitKind::InFlight => &mut self.in_flight,
        }
    }
}

/// The hasher of the maps and sets keyed by output position. Positions are assigned by
/// the chain (the operator's blocks, the contract's deposits), not chosen by a
/// submitter, so a fast seeded hasher serves; the maps keyed by transaction hashes, which
/// a submitter can grind, keep std's SipHash.
type ByPos = foldhash::fast::RandomState;

/// The UTXO set and the mempool.
#[derive(Debug)]
pub struct Ledger {
    utxos: HashMap<u64, Output, ByPos>,
    exits: HashMap<u64, ExitSeen, ByPos>,
    /// Fault injection: admit spends of exiting and exited outputs.
    ignore_exits: bool,
    spent: HashSet<u64, ByPos>,
    reserved: HashSet<u64, ByPos>,
    pending: VecDeque<PendingTx>,
    /// Hashes of every acknowledged transaction (pending or sealed): a resubmission is
    /// answered as the original was instead of as a double spend. The value is the
    /// transaction's position (output 0) once sealed.
    known: HashMap<B256, Option<UtxoPos>>,
    /// Piggybacked outputs by in-flight transaction hash (bit `i`: output `i`).
    piggybacked: HashMap<B256, u8>,
    sealing: usize,
    next_seq: i64,
    next_blknum: u64,
}

impl Default for Ledger {
    fn default() -> Self {
        Self::new()
    }
}

impl Ledger {
    /// An empty chain: the first child block will be 1000.
    pub fn new() -> Self {
        Self {
            utxos: HashMap::default(),
            exits: HashMap::default(),
            ignore_exits: false,
            spent: HashSet::default(),
            reserved: HashSet::default(),
            pending: VecDeque::new(),
            known: HashMap::new(),
            piggybacked: HashMap::new(),
            sealing: 0,
            next_seq: 1,
            next_blknum: CHILD_BLOCK_INTERVAL,
        }
    }

    /// Looks up the outputs an input list spends, without reserving anything (admission
    /// looks up inside [`Ledger::admit`]; the tests look here).
    #[cfg(test)]
    pub fn lookup(&self, inputs: &[UtxoPos]) -> Result<Vec<Output>, InputError> {
        self.spendable_all(inputs)
    }

    /// The exit phase of an output, from the exit events seen.
    pub fn exit_phase(&self, pos: u64) -> Option<ExitPhase> {
        let seen = self.exits.get(&pos).copied().unwrap_or_default();
        ExitPhase::from_events(
            seen.started,
            seen.challenged,
            seen.processed,
            seen.in_flight || seen.piggybacked,
        )
    }

    /// Records (`seen = true`) or undoes (after a reorganisation) an exit event.
    pub fn set_exit_event(&mut self, pos: u64, kind: ExitKind, seen: bool) {
        self.update_exit(pos, |e| *e.flag(kind) = seen);
    }

    /// Changes the exit events seen for `pos`, forgetting it when none is left.
    fn update_exit(&mut self, pos: u64, change: impl FnOnce(&mut ExitSeen)) {
        let entry = self.exits.entry(pos).or_default();
        change(entry);
        if *entry == ExitSeen::default() {
            self.exits.remove(&pos);
        }
    }

    /// Fault injection: from now on, admit spends of exiting and exited outputs.
    pub fn ignore_exits(&mut self) {
        self.ignore_exits = true;
    }

    /// Whether spends of exiting and exited outputs are admitted (fault injection).
    pub fn ignoring_exits(&self) -> bool {
        self.ignore_exits
    }

    /// Admits a transaction if every input is available and `check` accepts the outputs
    /// they spend (in input order): reserves the inputs and appends it to the mempool.
    /// Returns its log position; on an error nothing changes.
    pub fn admit<E: From<InputError>>(
        &mut self,
        signed: Arc<HashedTx>,
        check: impl FnOnce(&[Output]) -> Result<(), E>,
    ) -> Result<i64, E> {
        check(&self.spendable_all(&signed.tx.inputs)?)?;
        for pos in &signed.tx.inputs {
            self.reserved.insert(pos.get());
        }
        Ok(self.push(signed))
    }

    /// Appends a transaction without any check (start-up replay of acknowledged
    /// transactions, and the fault-injection switch).
    pub fn push_unchecked(&mut self, signed: Arc<HashedTx>) -> i64 {
        for pos in &signed.tx.inputs {
            self.reserved.insert(pos.get());
        }
        self.push(signed)
    }

    /// Whether a transaction with this hash was already acknowledged.
    pub fn is_known(&self, tx_hash: &B256) -> bool {
        self.known.contains_key(tx_hash)
    }

    fn push(&mut self, signed: Arc<HashedTx>) -> i64 {
        self.known.insert(signed.hash(), None);
        let seq = self.next_seq;
        self.next_seq += 1;
        self.pending.push_back(PendingTx { seq, signed });
        seq
    }

    /// Takes up to `max` pending transactions for the next block (at least `min`
    /// must be pending, else nothing is taken).
    pub fn take_for_seal(&mut self, min: usize, max: usize) -> Option<SealJob> {
        if self.pending.is_empty() || self.pending.len() < min {
            return None;
        }
        let n = self.pending.len().min(max);
        let txs: Vec<PendingTx> = self.pending.drain(..n).collect();
        let blknum = self.next_blknum;
        self.next_blknum += CHILD_BLOCK_INTERVAL;
        self.sealing += txs.len();
        Some(SealJob { blknum, txs })
    }

    /// Applies a durable sealed block: its inputs become spent, its outputs spendable.
    pub fn apply_sealed(&mut self, blknum: u64, txs: &[PendingTx]) {
        self.sealing = self.sealing.saturating_sub(txs.len());
        for (txindex, p) in txs.iter().enumerate() {
            for pos in &p.signed.tx.inputs {
                let pos = pos.get();
                self.reserved.remove(&pos);
                self.utxos.remove(&pos);
                self.spent.insert(pos);
            }
            for (pos, out) in created(blknum, txindex, &p.signed.tx) {
                self.utxos.insert(pos.get(), out);
            }
            self.sealed_at(p.signed.hash(), blknum, txindex);
        }
    }

    /// Replays a sealed block at start-up (its transactions were never pending here).
    pub fn replay_sealed(&mut self, blknum: u64, last_seq: i64, txs: &[PendingTx]) {
        self.apply_sealed(blknum, txs);
        self.next_blknum = self.next_blknum.max(blknum + CHILD_BLOCK_INTERVAL);
        self.next_seq = self.next_seq.max(last_seq + 1);
    }

    /// Credits a deposit output (no-op for one already spent).
    pub fn credit(&mut self, pos: UtxoPos, output: Output) {
        if !self.spent.contains(&pos.get()) {
            self.utxos.insert(pos.get(), output);
        }
    }

    /// Removes a deposit output if nothing spends it yet; false if it is already spent
    /// or reserved (it can then no longer be taken back).
    pub fn uncredit(&mut self, pos: UtxoPos) -> bool {
        let p = pos.get();
        if self.reserved.contains(&p) || self.spent.contains(&p) {
            return false;
        }
        self.utxos.remove(&p);
        true
    }

    /// Whether an output is in the UTXO set (unspent or reserved by a pending tx).
    pub fn contains(&self, pos: UtxoPos) -> bool {
        self.utxos.contains_key(&pos.get())
    }

    /// Number of pending transactions (not yet taken for a block).
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// Acknowledged transactions not yet in a durable block (pending or being sealed).
    pub fn unsealed_len(&self) -> usize {
        self.pending.len() + self.sealing
    }

    /// Number of outputs in the UTXO set (including those reserved by pending txs).
    pub fn utxo_count(&self) -> usize {
        self.utxos.len()
    }

    /// The number the next sealed block gets.
    pub fn next_blknum(&self) -> u64 {
        self.next_blknum
    }
}

/// The next block's view: reserved inputs are taken, spent ones gone, and exiting or
/// exited outputs not spendable (docs/SPEC.md "Exits remove outputs").
impl UtxoSource for Ledger {
    fn spendable(&self, pos: u64) -> Result<Output, InputError> {
        if self.reserved.contains(&pos) {
            return Err(InputError::Pending(pos));
        }
        if self.spent.contains(&pos) {
            return Err(InputError::Spent(pos));
        }
        if !self.ignore_exits {
            spend_admissible(self.exit_phase(pos))
                .map_err(|phase| InputError::Exit { pos, phase })?;
        }
        self.utxos
            .get(&pos)
            .copied()
            .ok_or(InputError::Unknown(pos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::{Address, B256, Bytes, U256};
    use plasma_core::{Transaction, signed::SignedTx};

    fn out(amount: u64) -> Output {
        Output {
            owner: Address::repeat_byte(1),
            token: Address::ZERO,
            amount: U256::from(amount),
        }
    }

    fn spend(pos: UtxoPos) -> Arc<HashedTx> {
        let tx = Transaction::payment(vec![pos], vec![out(1), out(2)], B256::ZERO).unwrap();
        Arc::new(HashedTx::new(SignedTx::new(
            tx,
            vec![Bytes::from(vec![0; 65])],
        )))
    }

    /// Admission with no checks beyond the inputs' availability.
    fn no_check(_: &[Output]) -> Result<(), InputError> {
        Ok(())
    }

    #[test]
    fn a_refused_check_changes_nothing() {
        let mut l = Ledger::new();
        let dep = UtxoPos::new(1, 0, 0).unwrap();
        l.credit(dep, out(5));
        let refused = l.admit(spend(dep), |spent| {
            assert_eq!(spent, [out(5)], "the check sees the outputs spent");
            Err(InputError::Unknown(7))
        });
        assert_eq!(refused, Err(InputError::Unknown(7)));
        assert_eq!(l.pending_len(), 0);
        assert_eq!(l.lookup(&[dep]).unwrap(), vec![out(5)], "not reserved");
        assert_eq!(l.admit(spend(dep), no_check).unwrap(), 1);
    }

    #[test]
    fn reserve_seal_and_spend() {
        let mut l = Ledger::new();
        let dep = UtxoPos::new(1, 0, 0).unwrap();
        assert_eq!(l.lookup(&[dep]), Err(InputError::Unknown(dep.get())));
        l.credit(dep, out(5));
        assert_eq!(l.lookup(&[dep]).unwrap(), vec![out(5)]);
        assert_eq!(l.admit(spend(dep), no_check).unwrap(), 1);
        assert_eq!(
            l.admit(spend(dep), no_check),
            Err(InputError::Pending(dep.get()))
        );
        assert!(!l.uncredit(dep), "a reserved deposit cannot be taken back");
        let job = l.take_for_seal(1, 10).unwrap();
        assert_eq!(job.blknum, 1000);
        l.apply_sealed(job.blknum, &job.txs);
        assert_eq!(l.lookup(&[dep]), Err(InputError::Spent(dep.get())));
        let new = UtxoPos::new(1000, 0, 1).unwrap();
        assert_eq!(l.lookup(&[new]).unwrap(), vec![out(2)]);
        assert_eq!(l.next_blknum(), 2000);
        assert!(l.take_for_seal(1, 10).is_none());
    }

    #[test]
    fn exiting_and_exited_outputs_are_not_spendable() {
        let mut l = Ledger::new();
        let dep = UtxoPos::new(1, 0, 0).unwrap();
        l.credit(dep, out(5));
        l.set_exit_event(dep.get(), ExitKind::Started, true);
        assert_eq!(
            l.admit(spend(dep), no_check),
            Err(InputError::Exit {
                pos: dep.get(),
                phase: ExitPhase::Exiting
            })
        );
        l.set_exit_event(dep.get(), ExitKind::Processed, true);
        assert_eq!(
            l.admit(spend(dep), no_check),
            Err(InputError::Exit {
                pos: dep.get(),
                phase: ExitPhase::Exited
            })
        );
        l.set_exit_event(dep.get(), ExitKind::Processed, false);
        l.set_exit_event(dep.get(), ExitKind::Challenged, true);
        assert_eq!(
            l.lookup(&[dep]).unwrap(),
            vec![out(5)],
            "a challenge releases"
        );
        l.set_exit_event(dep.get(), ExitKind::Challenged, false);
        l.ignore_exits();
        assert_eq!(l.admit(spend(dep), no_check).unwrap(), 1);
    }

    #[test]
    fn take_respects_min_and_max() {
        let mut l = Ledger::new();
        for i in 1..=5 {
            l.push_unchecked(spend(UtxoPos::new(i, 0, 0).unwrap()));
        }
        assert!(l.take_for_seal(6, 10).is_none());
        assert_eq!(l.take_for_seal(1, 3).unwrap().txs.len(), 3);
        assert_eq!(l.pending_len(), 2);
    }
}
