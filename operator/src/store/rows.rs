//! The database's row shapes and their conversion to domain types: nothing outside the
//! store sees a raw column.

use std::sync::Arc;

use super::{
    Address, B256, Bytes, Deposit, HashedTx, LoggedTx, Output, SIGNATURE_LEN, SealedBlock,
    SignedTx, StoreError, U256, fixed,
};

pub(super) struct TxRow {
    pub(super) seq: i64,
    pub(super) tx_hash: Vec<u8>,
    pub(super) tx_bytes: Vec<u8>,
    pub(super) signatures: Vec<u8>,
}

impl TryFrom<TxRow> for LoggedTx {
    type Error = StoreError;

    fn try_from(r: TxRow) -> Result<Self, StoreError> {
        let corrupt = |why: String| StoreError::Corrupt(format!("transaction {}: {why}", r.seq));
        if !r.signatures.len().is_multiple_of(SIGNATURE_LEN) {
            return Err(corrupt(format!(
                "signature blob of {} bytes",
                r.signatures.len()
            )));
        }
        let sigs = r
            .signatures
            .chunks(SIGNATURE_LEN)
            .map(Bytes::copy_from_slice)
            .collect();
        let signed = SignedTx::from_wire(Bytes::from(r.tx_bytes), sigs)
            .map_err(|e| corrupt(e.to_string()))?;
        let signed = Arc::new(HashedTx::new(signed));
        if signed.hash().as_slice() != r.tx_hash.as_slice() {
            return Err(corrupt(format!(
                "stored hash 0x{} is not the bytes' hash {}",
                alloy::hex::encode(&r.tx_hash),
                signed.hash()
            )));
        }
        Ok(Self { seq: r.seq, signed })
    }
}

pub(super) struct BlockRow {
    pub(super) blknum: i64,
    pub(super) root: Vec<u8>,
    pub(super) first_seq: i64,
    pub(super) last_seq: i64,
    pub(super) sealed_at_ms: i64,
    pub(super) submit_nonce: Option<i64>,
    pub(super) submit_tx: Option<Vec<u8>>,
    pub(super) confirmed: bool,
    pub(super) withheld: bool,
}

impl TryFrom<BlockRow> for SealedBlock {
    type Error = StoreError;

    fn try_from(r: BlockRow) -> Result<Self, StoreError> {
        Ok(Self {
            blknum: r.blknum as u64,
            root: B256::from(fixed::<32>("block root", &r.root)?),
            first_seq: r.first_seq,
            last_seq: r.last_seq,
            sealed_at_ms: r.sealed_at_ms,
            submit_nonce: r.submit_nonce.map(|n| n as u64),
            submit_tx: r
                .submit_tx
                .map(|t| fixed::<32>("submission hash", &t).map(B256::from))
                .transpose()?,
            confirmed: r.confirmed,
            withheld: r.withheld,
        })
    }
}

pub(super) struct DepositRow {
    pub(super) blknum: i64,
    pub(super) owner: Vec<u8>,
    pub(super) token: Vec<u8>,
    pub(super) amount: Vec<u8>,
    pub(super) eth_block: i64,
    pub(super) eth_block_hash: Vec<u8>,
}

impl TryFrom<DepositRow> for Deposit {
    type Error = StoreError;

    fn try_from(d: DepositRow) -> Result<Self, StoreError> {
        Ok(Self {
            blknum: d.blknum as u64,
            output: Output {
                owner: Address::from(fixed::<20>("owner", &d.owner)?),
                token: Address::from(fixed::<20>("token", &d.token)?),
                amount: U256::from_be_bytes(fixed::<32>("amount", &d.amount)?),
            },
            eth_block: d.eth_block as u64,
            eth_block_hash: B256::from(fixed::<32>("deposit block hash", &d.eth_block_hash)?),
        })
    }
}
