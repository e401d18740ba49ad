//! What an exit removes from the child chain (docs/SPEC.md "Exits remove outputs from the
//! child chain"). The operator (admission) and the indexer (block checks) both decide
//! with these functions, so the two cannot drift.

/// Where an output stands with respect to root-chain exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExitPhase {
    /// Its exit was started and is neither challenged nor processed yet: no new spend of
    /// it may be included (a spend included earlier makes the exit invalid).
    Exiting,
    /// Its exit was processed (paid or deferred): it may never be spent again.
    Exited,
}

impl ExitPhase {
    /// The phase after the events seen for one output. A challenged standard exit
    /// releases the output (it was spent anyway); a processed one removes it for good.
    /// An input of an in-flight exit, or a piggybacked output of its transaction
    /// (`in_flight`), stays exiting: the input's owner signed it away to the in-flight
    /// transaction, the only spend that may still be included (MoreVP), and the output is
    /// paid by the exit if canonical; a challenge does not give either back.
    pub const fn from_events(
        started: bool,
        challenged: bool,
        processed: bool,
        in_flight: bool,
    ) -> Option<Self> {
        match (started, challenged, processed, in_flight) {
            (_, _, true, _) => Some(Self::Exited),
            (_, _, _, true) | (true, false, false, false) => Some(Self::Exiting),
            _ => None,
        }
    }
}

/// Whether a new spend of an output in `phase` may be admitted into a block: only when
/// no exit holds it.
pub const fn spend_admissible(phase: Option<ExitPhase>) -> Result<(), ExitPhase> {
    match phase {
        None => Ok(()),
        Some(p) => Err(p),
    }
}

/// Whether child block `blknum` may spend an output whose exit was processed while
/// `exited_from` was the next child block to be submitted (`None`: never processed).
/// A block submitted after the processing that spends the output is an invalid block;
/// one submitted before it holds a valid spend (the exit was an invalid exit).
pub const fn block_may_spend(blknum: u64, exited_from: Option<u64>) -> bool {
    match exited_from {
        None => true,
        Some(from) => blknum < from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases() {
        assert_eq!(ExitPhase::from_events(false, false, false, false), None);
        assert_eq!(
            ExitPhase::from_events(true, false, false, false),
            Some(ExitPhase::Exiting)
        );
        assert_eq!(ExitPhase::from_events(true, true, false, false), None);
        assert_eq!(
            ExitPhase::from_events(true, false, true, false),
            Some(ExitPhase::Exited)
        );
        // An in-flight exit's input: exiting whatever standard exit came and went.
        assert_eq!(
            ExitPhase::from_events(false, false, false, true),
            Some(ExitPhase::Exiting)
        );
        assert_eq!(
            ExitPhase::from_events(true, true, false, true),
            Some(ExitPhase::Exiting)
        );
        assert_eq!(
            ExitPhase::from_events(false, false, true, true),
            Some(ExitPhase::Exited)
        );
        assert_eq!(spend_admissible(None), Ok(()));
        assert_eq!(
            spend_admissible(Some(ExitPhase::Exiting)),
            Err(ExitPhase::Exiting)
        );
    }

    #[test]
    fn blocks_after_processing_may_not_spend() {
        assert!(block_may_spend(3000, None));
        assert!(block_may_spend(2000, Some(3000)));
        assert!(!block_may_spend(3000, Some(3000)));
        assert!(!block_may_spend(4000, Some(3000)));
    }
}
