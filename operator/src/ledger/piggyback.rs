//! Piggybacked outputs of in-flight transactions (docs/SPEC.md "Exits remove outputs from
//! the child chain"). A piggyback names an output by the in-flight exit id — the
//! transaction's hash — and an index; the output leaves the child chain at the position
//! where the operator included that transaction, whether the piggyback came before or
//! after the block was sealed.

use alloy::primitives::B256;
use plasma_core::UtxoPos;

use super::Ledger;

impl Ledger {
    /// Records (`seen = true`) or undoes (after a reorganisation) the piggyback of output
    /// `oindex` of the transaction hashed `tx_hash`.
    pub fn set_piggyback(&mut self, tx_hash: B256, oindex: u8, seen: bool) {
        let Some(bit) = 1u8.checked_shl(u32::from(oindex)) else {
            return;
        };
        let mask = self.piggybacked.entry(tx_hash).or_default();
        if seen {
            *mask |= bit;
        } else {
            *mask &= !bit;
        }
        if *mask == 0 {
            self.piggybacked.remove(&tx_hash);
        }
        if let Some(Some(tx_pos)) = self.known.get(&tx_hash).copied() {
            self.mark_piggybacked(tx_pos, oindex, seen);
        }
    }

    /// Records where a sealed transaction sits, and takes out of the chain the outputs of
    /// it that were piggybacked before it was sealed.
    pub(super) fn sealed_at(&mut self, tx_hash: B256, blknum: u64, txindex: usize) {
        let Ok(tx_pos) = UtxoPos::new(blknum, txindex as u64, 0) else {
            return;
        };
        self.known.insert(tx_hash, Some(tx_pos));
        let mask = self.piggybacked.get(&tx_hash).copied().unwrap_or(0);
        for oindex in (0..8u8).filter(|i| mask & (1 << i) != 0) {
            self.mark_piggybacked(tx_pos, oindex, true);
        }
    }

    fn mark_piggybacked(&mut self, tx_pos: UtxoPos, oindex: u8, seen: bool) {
        let pos = tx_pos.get() + u64::from(oindex);
        self.update_exit(pos, |e| e.piggybacked = seen);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use alloy::primitives::{Address, Bytes, U256};
    use plasma_core::{
        Output, Transaction, exit::ExitPhase, signed::SignedTx, transition::InputError,
    };

    fn spend(pos: UtxoPos, outputs: usize) -> SignedTx {
        let out = Output {
            owner: Address::repeat_byte(1),
            token: Address::ZERO,
            amount: U256::from(1),
        };
        let tx = Transaction::payment(vec![pos], vec![out; outputs], B256::ZERO).unwrap();
        SignedTx::new(tx, vec![Bytes::from(vec![0; 65])])
    }

    fn sealed(l: &mut Ledger, tx: SignedTx) -> UtxoPos {
        l.admit(Arc::new(tx.into()), |_| Ok::<_, InputError>(()))
            .unwrap();
        let job = l.take_for_seal(1, 10).unwrap();
        l.apply_sealed(job.blknum, &job.txs);
        UtxoPos::new(job.blknum, 0, 0).unwrap()
    }

    #[test]
    fn a_piggybacked_output_of_a_sealed_transaction_is_exiting_until_undone() {
        let mut l = Ledger::new();
        let dep = UtxoPos::new(1, 0, 0).unwrap();
        l.credit(dep, spend(dep, 1).tx.outputs[0]);
        let tx = spend(dep, 2);
        let hash = tx.hash();
        let at = sealed(&mut l, tx);
        let (out0, out1) = (at.get(), at.get() + 1);
        l.set_piggyback(hash, 1, true);
        assert_eq!(l.exit_phase(out1), Some(ExitPhase::Exiting));
        assert_eq!(l.exit_phase(out0), None, "only the piggybacked output");
        l.set_piggyback(hash, 1, false);
        assert_eq!(l.exit_phase(out1), None, "a reorganisation gives it back");
    }

    #[test]
    fn a_piggyback_before_sealing_takes_the_output_when_sealed() {
        let mut l = Ledger::new();
        let dep = UtxoPos::new(1, 0, 0).unwrap();
        l.credit(dep, spend(dep, 1).tx.outputs[0]);
        let tx = spend(dep, 1);
        l.set_piggyback(tx.hash(), 0, true);
        let at = sealed(&mut l, tx);
        assert_eq!(l.exit_phase(at.get()), Some(ExitPhase::Exiting));
        // Out-of-range indices (the contract refuses them) change nothing.
        l.set_piggyback(B256::ZERO, 9, true);
        assert!(!l.piggybacked.contains_key(&B256::ZERO));
    }
}
