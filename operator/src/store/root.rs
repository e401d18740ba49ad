//! What the operator knows of the root chain: credited deposits, exit events, output
//! piggybacks of in-flight exits, the
//! follower's cursor and the headers it stopped at, written together in one transaction
//! per batch.

use alloy::primitives::B256;
use plasma_service::sqlite::headers;

use super::{
    Cursor, Deposit, ExitEvent, ExitKind, OutputPiggyback, Store, StoreError, WriteTx, fixed, rows,
};

impl Store {
    /// Records credited deposits, exit events and output piggybacks and moves the cursor,
    /// in one transaction.
    pub async fn credit_deposits(
        &self,
        deposits: &[Deposit],
        exits: &[ExitEvent],
        piggybacks: &[OutputPiggyback],
        cursor: &Cursor,
    ) -> Result<(), StoreError> {
        let mut db = self.begin().await?;
        for p in piggybacks {
            let (hash, oindex, block, block_hash) = (
                p.tx_hash.as_slice(),
                i64::from(p.oindex),
                p.eth_block as i64,
                p.eth_block_hash.as_slice(),
            );
            sqlx::query!(
                "INSERT INTO output_piggybacks (tx_hash, oindex, eth_block, eth_block_hash) VALUES (?, ?, ?, ?)
                 ON CONFLICT (tx_hash, oindex) DO NOTHING",
                hash,
                oindex,
                block,
                block_hash
            )
            .execute(&mut *db)
            .await?;
        }
        for e in exits {
            let (pos, kind, block, hash) = (
                e.utxo_pos as i64,
                e.kind.as_str(),
                e.eth_block as i64,
                e.eth_block_hash.as_slice(),
            );
            sqlx::query!(
                "INSERT INTO exit_events (utxo_pos, kind, eth_block, eth_block_hash) VALUES (?, ?, ?, ?)
                 ON CONFLICT (utxo_pos, kind) DO NOTHING",
                pos,
                kind,
                block,
                hash
            )
            .execute(&mut *db)
            .await?;
        }
        for d in deposits {
            let (blknum, eth_block) = (d.blknum as i64, d.eth_block as i64);
            let amount = d.output.amount.to_be_bytes::<32>();
            let (amount, owner, token, hash) = (
                amount.as_slice(),
                d.output.owner.as_slice(),
                d.output.token.as_slice(),
                d.eth_block_hash.as_slice(),
            );
            sqlx::query!(
                "INSERT INTO deposits (blknum, owner, token, amount, eth_block, eth_block_hash) VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (blknum) DO NOTHING",
                blknum,
                owner,
                token,
                amount,
                eth_block,
                hash
            )
            .execute(&mut *db)
            .await?;
        }
        write_cursor(&mut db, cursor).await?;
        headers::record(&mut db, cursor.eth_block, &cursor.eth_hash.0).await?;
        db.commit().await?;
        Ok(())
    }

    /// Removes deposits, exit events and output piggybacks (after a root-chain
    /// reorganisation dropped them), forgets the headers after the cursor and rewinds it,
    /// in one transaction.
    pub async fn uncredit_deposits(
        &self,
        blknums: &[u64],
        exits: &[ExitEvent],
        piggybacks: &[OutputPiggyback],
        cursor: &Cursor,
    ) -> Result<(), StoreError> {
        let mut db = self.begin().await?;
        for p in piggybacks {
            let (hash, oindex) = (p.tx_hash.as_slice(), i64::from(p.oindex));
            sqlx::query!(
                "DELETE FROM output_piggybacks WHERE tx_hash = ? AND oindex = ?",
                hash,
                oindex
            )
            .execute(&mut *db)
            .await?;
        }
        for e in exits {
            let (pos, kind) = (e.utxo_pos as i64, e.kind.as_str());
            sqlx::query!(
                "DELETE FROM exit_events WHERE utxo_pos = ? AND kind = ?",
                pos,
                kind
            )
            .execute(&mut *db)
            .await?;
        }
        for &b in blknums {
            let b = b as i64;
            sqlx::query!("DELETE FROM deposits WHERE blknum = ?", b)
                .execute(&mut *db)
                .await?;
        }
        headers::forget_after(&mut db, cursor.eth_block).await?;
        write_cursor(&mut db, cursor).await?;
        db.commit().await?;
        Ok(())
    }

    /// The follower cursor, if any deposit scan completed.
    pub async fn cursor(&self) -> Result<Option<Cursor>, StoreError> {
        let row = sqlx::query!("SELECT eth_block, eth_hash FROM cursor WHERE id = 1")
            .fetch_optional(&self.reads)
            .await?;
        row.map(|r| {
            Ok(Cursor {
                eth_block: r.eth_block as u64,
                eth_hash: B256::from(fixed::<32>("cursor hash", &r.eth_hash)?),
            })
        })
        .transpose()
    }

    /// Stored headers at or below `below`, newest first, at most `limit`.
    pub async fn root_headers(
        &self,
        below: u64,
        limit: usize,
    ) -> Result<Vec<(u64, B256)>, StoreError> {
        let rows = headers::newest_first(&self.reads, below, limit).await?;
        Ok(rows.into_iter().map(|(n, h)| (n, B256::from(h))).collect())
    }

    /// Every credited deposit, by block number.
    pub async fn deposits(&self) -> Result<Vec<Deposit>, StoreError> {
        let rows = sqlx::query_as!(
            rows::DepositRow,
            "SELECT blknum, owner, token, amount, eth_block, eth_block_hash FROM deposits ORDER BY blknum"
        )
        .fetch_all(&self.reads)
        .await?;
        rows.into_iter().map(Deposit::try_from).collect()
    }

    /// Every stored exit event.
    pub async fn exit_events(&self) -> Result<Vec<ExitEvent>, StoreError> {
        let rows = sqlx::query!(
            "SELECT utxo_pos, kind, eth_block, eth_block_hash FROM exit_events ORDER BY eth_block"
        )
        .fetch_all(&self.reads)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ExitEvent {
                    utxo_pos: r.utxo_pos as u64,
                    kind: ExitKind::parse(&r.kind)?,
                    eth_block: r.eth_block as u64,
                    eth_block_hash: B256::from(fixed::<32>("exit block hash", &r.eth_block_hash)?),
                })
            })
            .collect()
    }
}

impl Store {
    /// Every stored output piggyback.
    pub async fn output_piggybacks(&self) -> Result<Vec<OutputPiggyback>, StoreError> {
        let rows = sqlx::query!(
            "SELECT tx_hash, oindex, eth_block, eth_block_hash FROM output_piggybacks ORDER BY eth_block"
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(OutputPiggyback {
                    tx_hash: B256::from(fixed::<32>("piggybacked tx hash", &r.tx_hash)?),
                    oindex: u8::try_from(r.oindex).map_err(|_| {
                        StoreError::Corrupt(format!("piggybacked output index {}", r.oindex))
                    })?,
                    eth_block: r.eth_block as u64,
                    eth_block_hash: B256::from(fixed::<32>(
                        "piggyback block hash",
                        &r.eth_block_hash,
                    )?),
                })
            })
            .collect()
    }
}

/// Sets the follower cursor inside a store transaction.
async fn write_cursor(db: &mut WriteTx, cursor: &Cursor) -> Result<(), StoreError> {
    let (eth_block, eth_hash) = (cursor.eth_block as i64, cursor.eth_hash.as_slice());
    sqlx::query!(
        "INSERT INTO cursor (id, eth_block, eth_hash) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET eth_block = excluded.eth_block, eth_hash = excluded.eth_hash",
        eth_block,
        eth_hash
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}
