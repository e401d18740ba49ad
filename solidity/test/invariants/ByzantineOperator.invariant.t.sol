// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ByzantineToken} from "../mocks/ByzantineToken.sol";
import {ByzantineOperatorHandler} from "./handlers/ByzantineOperatorHandler.sol";
import {ByzantineSetup} from "./ByzantineSetup.sol";

/// @title ByzantineOperator_Invariant_Test
/// @notice Issue 9: invariants against a byzantine operator (ByzantineOperatorHandler): invalid
///         blocks with outputs up to type(uint256).max, duplicated transactions, withheld
///         blocks revealed later, self-challenges, hostile receivers and a hostile token.
///         1. every honest exit that matures is paid in full (to the wei, withdrawable credit
///            included), in priority order, and none is left behind;
///         2. per token Σ withdrawable == reserved ≤ balance, and reserved + bondsHeld ≤ the
///            ETH balance;
///         3. for every token no invalid output was paid out of, the contract holds what it
///            owes (live exits of real outputs, reserved, ETH bonds);
///         4. no output is paid twice (a duplicated transaction exits once) and processing
///            never reverts;
///         5. bondsHeld is the bonds of live exits, and a self-challenge costs its author all
///            but the challenger's share.
///         The handler never reverts (its books would be rolled back with the call), so a
///         revert fails the run.
/// forge-config: default.invariant.runs = 24
/// forge-config: default.invariant.depth = 48
/// forge-config: default.invariant.fail-on-revert = true
/// forge-config: ci.invariant.runs = 24
/// forge-config: ci.invariant.depth = 128
/// forge-config: ci.invariant.fail-on-revert = true
contract ByzantineOperator_Invariant_Test is ByzantineSetup {
    function setUp() public {
        _deployChain();
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = handler.honestDepositAndExit.selector;
        selectors[1] = handler.honestDepositAndExit.selector; // honest users are busy
        selectors[2] = handler.honestWithdraw.selector;
        selectors[3] = handler.invalidBlock.selector;
        selectors[4] = handler.withheldBlock.selector;
        selectors[5] = handler.revealWithheld.selector;
        selectors[6] = handler.malloryValid.selector;
        selectors[7] = handler.selfChallenge.selector;
        selectors[8] = handler.setByzMode.selector;
        selectors[9] = handler.process.selector;
        targetSelector(FuzzSelector(address(handler), selectors));
    }

    /// @notice 1. Honest exits: paid in full, in key order, none matured left behind.
    function invariant_honestPaidInFullInOrder() public view {
        assertFalse(handler.honestShortPaid(), "honest exit short-paid");
        assertFalse(handler.outOfOrder(), "exit processed out of priority order");
        assertFalse(handler.maturedLeftBehind(), "matured exit left in the queue");
    }

    /// @notice 2. The vault's books, per token.
    function invariant_vaultBooks() public view {
        for (uint256 t; t < 3; ++t) {
            address tok = handler.tokens(t);
            uint256 reserved = rootChain.reserved(tok);
            assertEq(handler.withdrawableSum(tok), reserved, "withdrawable != reserved");
            assertLe(reserved, handler.balanceOf(tok), "reserved above balance");
        }
        assertLe(
            rootChain.reserved(address(0)) + rootChain.bondsHeld(),
            address(rootChain).balance,
            "reserved + bonds above ETH balance"
        );
    }

    /// @notice 3. A token no invalid output was paid out of covers all it owes.
    function invariant_uncheatedTokensSolvent() public view {
        for (uint256 t; t < 3; ++t) {
            address tok = handler.tokens(t);
            if (handler.cheated(tok)) continue;
            uint256 owed = handler.validLive(tok) + rootChain.reserved(tok);
            if (tok == address(0)) owed += rootChain.bondsHeld();
            assertGe(handler.balanceOf(tok), owed, "uncheated token owes more than it holds");
        }
    }

    /// @notice 4. No output paid twice, no duplicate exit, no reverting processExits.
    function invariant_noDoublePayNoRevert() public view {
        assertFalse(handler.doublePaid(), "output paid twice");
        assertFalse(handler.duplicateExited(), "duplicated transaction exited twice");
        assertFalse(handler.processReverted(), "processExits reverted");
        assertFalse(ByzantineToken(handler.tokens(2)).reentered(), "token re-entered the root chain");
    }

    /// @notice 5. Bonds of live exits, and self-challenges never pay more than the share.
    function invariant_bonds() public view {
        assertEq(rootChain.bondsHeld(), handler.liveExits() * rootChain.EXIT_BOND(), "bondsHeld != live bonds");
        assertFalse(handler.selfChallengeProfited(), "self-challenge paid more than the share");
    }

    /// @notice After a run every queue drains, every honest exit was paid, the books hold.
    function afterInvariant() external {
        handler.drain();
        invariant_honestPaidInFullInOrder();
        invariant_vaultBooks();
        invariant_uncheatedTokensSolvent();
        invariant_noDoublePayNoRevert();
        invariant_bonds();
        for (uint256 t; t < 3; ++t) {
            assertEq(rootChain.exitQueueLength(handler.tokens(t)), 0, "queue frozen");
        }
        assertEq(handler.liveExits(), 0, "live exits after draining");
        for (uint256 i; i < handler.exitCount(); ++i) {
            ByzantineOperatorHandler.Exit memory e = handler.exitAt(i);
            if (e.kind == ByzantineOperatorHandler.Kind.Honest) assertTrue(e.processed, "honest exit never paid");
        }
    }
}
