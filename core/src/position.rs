//! UTXO positions: `blknum * 1_000_000_000 + txindex * 10_000 + oindex` as a `u64`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Child blocks are numbered 1000, 2000, …; deposit blocks take the numbers in between.
pub const CHILD_BLOCK_INTERVAL: u64 = 1_000;
/// Multiplier of the block number in a position.
pub const BLOCK_OFFSET: u64 = 1_000_000_000;
/// Multiplier of the transaction index in a position.
pub const TX_OFFSET: u64 = 10_000;
/// Transactions per block (2^16, the Merkle tree's leaf count).
pub const MAX_TXS_PER_BLOCK: u64 = 1 << 16;
/// Outputs per transaction.
pub const MAX_OUTPUTS: u64 = 4;
/// The largest child block number whose positions still fit a `u64` (docs/SPEC.md).
pub const MAX_CHILD_BLOCK: u64 = 18_446_743_000;

/// Why a `(blknum, txindex, oindex)` triple or a raw `u64` is not a valid position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PositionError {
    /// Block 0 does not exist.
    #[error("block number 0 is not a block")]
    ZeroBlock,
    /// `txindex ≥ 65,536`.
    #[error("transaction index {0} is not below 65536")]
    TxIndexTooLarge(u64),
    /// `oindex ≥ 4`.
    #[error("output index {0} is not below 4")]
    OutputIndexTooLarge(u64),
    /// The position does not fit a `u64`.
    #[error("block number {0} does not fit a uint64 position")]
    Overflow(u64),
}

/// A UTXO position. Serialized as a JSON number. The inner value is not checked: use
/// [`UtxoPos::new`] or [`UtxoPos::checked`] for untrusted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UtxoPos(pub u64);

impl UtxoPos {
    /// Builds a position, checking `blknum ≥ 1`, `txindex < 65,536`, `oindex < 4` and `u64` range.
    pub fn new(blknum: u64, txindex: u64, oindex: u64) -> Result<Self, PositionError> {
        if blknum == 0 {
            return Err(PositionError::ZeroBlock);
        }
        if txindex >= MAX_TXS_PER_BLOCK {
            return Err(PositionError::TxIndexTooLarge(txindex));
        }
        if oindex >= MAX_OUTPUTS {
            return Err(PositionError::OutputIndexTooLarge(oindex));
        }
        blknum
            .checked_mul(BLOCK_OFFSET)
            .and_then(|b| b.checked_add(txindex * TX_OFFSET + oindex))
            .map(Self)
            .ok_or(PositionError::Overflow(blknum))
    }

    /// Checks a raw position against the SPEC's validity rule (decoder rule 6).
    pub fn checked(raw: u64) -> Result<Self, PositionError> {
        let pos = Self(raw);
        Self::new(pos.blknum(), pos.txindex(), pos.oindex())
    }

    /// True when the raw value is a valid position (`blknum ≥ 1`, `txindex < 2^16`, `oindex < 4`).
    pub const fn is_valid(self) -> bool {
        self.0 >= BLOCK_OFFSET && self.txindex() < MAX_TXS_PER_BLOCK && self.oindex() < MAX_OUTPUTS
    }

    /// The block number.
    pub const fn blknum(self) -> u64 {
        self.0 / BLOCK_OFFSET
    }

    /// The transaction's index in its block (`(pos / 10_000) % 100_000`).
    pub const fn txindex(self) -> u64 {
        (self.0 / TX_OFFSET) % (BLOCK_OFFSET / TX_OFFSET)
    }

    /// The output's index in its transaction.
    pub const fn oindex(self) -> u64 {
        self.0 % TX_OFFSET
    }

    /// True for an output of a deposit block (block number not a multiple of 1000).
    pub const fn is_deposit(self) -> bool {
        !self.blknum().is_multiple_of(CHILD_BLOCK_INTERVAL)
    }

    /// The raw `u64`.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for UtxoPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<UtxoPos> for u64 {
    fn from(pos: UtxoPos) -> Self {
        pos.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn new_packs_fields() {
        let pos = UtxoPos::new(1000, 3, 2).unwrap();
        assert_eq!(pos.0, 1_000_000_030_002);
        assert_eq!((pos.blknum(), pos.txindex(), pos.oindex()), (1000, 3, 2));
        assert!(!pos.is_deposit());
        assert!(UtxoPos::new(1001, 0, 0).unwrap().is_deposit());
    }

    #[test]
    fn new_rejects_out_of_range_fields() {
        assert_eq!(UtxoPos::new(0, 0, 0), Err(PositionError::ZeroBlock));
        assert_eq!(
            UtxoPos::new(1, 65_536, 0),
            Err(PositionError::TxIndexTooLarge(65_536))
        );
        assert_eq!(
            UtxoPos::new(1, 0, 4),
            Err(PositionError::OutputIndexTooLarge(4))
        );
        assert_eq!(
            UtxoPos::new(u64::MAX / 1000, 0, 0),
            Err(PositionError::Overflow(u64::MAX / 1000))
        );
    }

    #[test]
    fn largest_child_block_fits() {
        let pos = UtxoPos::new(MAX_CHILD_BLOCK + 999, 65_535, 3).unwrap();
        assert_eq!(pos.blknum(), MAX_CHILD_BLOCK + 999);
    }

    #[test]
    fn checked_rejects_gaps_in_txindex_digits() {
        // txindex digits 65_536 … 99_999 are representable in the decimal layout but invalid.
        assert!(UtxoPos::checked(1_000_000_000 + 65_536 * 10_000).is_err());
        assert!(UtxoPos::checked(999_999_999).is_err());
        assert!(UtxoPos::checked(1_000_000_004).is_err());
    }

    #[test]
    fn serde_is_a_number() {
        let pos = UtxoPos::new(2000, 1, 1).unwrap();
        assert_eq!(serde_json::to_string(&pos).unwrap(), "2000000010001");
        assert_eq!(
            serde_json::from_str::<UtxoPos>("2000000010001").unwrap(),
            pos
        );
    }

    proptest! {
        #[test]
        fn new_round_trips(blknum in 1u64..=18_446_743_999, txindex in 0u64..65_536, oindex in 0u64..4) {
            let pos = UtxoPos::new(blknum, txindex, oindex).unwrap();
            prop_assert_eq!((pos.blknum(), pos.txindex(), pos.oindex()), (blknum, txindex, oindex));
            prop_assert!(pos.is_valid());
            prop_assert_eq!(UtxoPos::checked(pos.0), Ok(pos));
        }

        #[test]
        fn is_valid_matches_checked(raw in any::<u64>()) {
            prop_assert_eq!(UtxoPos(raw).is_valid(), UtxoPos::checked(raw).is_ok());
        }
    }
}
