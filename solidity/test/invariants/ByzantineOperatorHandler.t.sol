// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IStandardExitGame} from "../../src/interfaces/IStandardExitGame.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {ByzantineSetup} from "./ByzantineSetup.sol";

/// @title ByzantineOperatorHandler_Test
/// @notice Fixed sequences through the byzantine handler: what its books must say in the
///         cases the invariant suite depends on.
contract ByzantineOperatorHandler_Test is ByzantineSetup {
    function setUp() public {
        _deployChain();
    }

    /// @notice The draft handler's bug: a token exit of the gas-burning receiver pays the
    ///         token and defers only the ETH bond refund, yet ExitProcessed says `deferred`
    ///         (it covers both transfers). The draft read that flag as "the token payout was
    ///         deferred" and kept 248 tokens owed that had been paid, so its "honest
    ///         liabilities not covered" check saw 0 < 248. The handler now reads what each
    ///         honest account holds or may withdraw.
    function test_tokenPaidRefundDeferred_booksTheToken() public {
        address burner = handler.honest(3);
        address plain = handler.tokens(1);
        handler.honestDepositAndExit(3, true, 248);
        bytes memory dtx = TxBuilder.deposit(1, burner, plain, 248);
        bytes32 exitId = keccak256(abi.encodePacked(keccak256(dtx), uint8(0)));
        vm.expectEmit(true, true, true, true, address(rootChain));
        emit IStandardExitGame.ExitProcessed(exitId, 1e9, burner, plain, 248, true);
        handler.process(1, 8, 1 weeks);
        assertEq(IERC20(plain).balanceOf(burner), 248);
        assertEq(rootChain.withdrawable(burner, plain), 0);
        assertEq(rootChain.withdrawable(burner, address(0)), handler.refund());
        assertEq(IERC20(plain).balanceOf(address(rootChain)), 0);
        assertEq(handler.validLive(plain), 0);
        assertEq(handler.honestExitsProcessed(), 1);
        assertFalse(handler.honestShortPaid());
    }

    /// @notice Honest exits come before an invalid type(uint256).max output (included twice)
    ///         and are paid in full; the invalid exit takes what is left (mallory's own later
    ///         outputs); the pool is cheated.
    function test_honestAheadOfMaxInvalidOutput() public {
        address stubborn = handler.honest(2);
        handler.honestDepositAndExit(0, false, 5 ether);
        handler.honestDepositAndExit(2, false, 3 ether);
        // Mallory, ETH, type(uint256).max, one output, included twice in the block.
        handler.invalidBlock(0, type(uint256).max, 0, false, 1);
        vm.warp(block.timestamp + 3 days);
        handler.honestDepositAndExit(1, false, 2 ether);
        // Mallory's real 4 ether, spent in a later child block: behind the invalid exit.
        handler.malloryValid(0, 4 ether, 1 ether, 1, false);
        for (uint256 i; i < 4; ++i) {
            handler.process(0, 8, 1 weeks);
        }
        assertEq(rootChain.exitQueueLength(address(0)), 0);
        assertEq(handler.honestExitsProcessed(), 3);
        assertEq(handler.invalidExitsPaid(), 1);
        assertTrue(handler.cheated(address(0)));
        // Only the honest receiver's deferred payout is left.
        assertEq(address(rootChain).balance, rootChain.reserved(address(0)));
        assertEq(rootChain.withdrawable(stubborn, address(0)), 3 ether + handler.refund());
        assertEq(handler.withdrawableSum(address(0)), rootChain.reserved(address(0)));
        assertEq(rootChain.bondsHeld(), 0);
        assertEq(handler.liveExits(), 0);
        assertFalse(handler.honestShortPaid());
        assertFalse(handler.outOfOrder());
        assertFalse(handler.maturedLeftBehind());
        assertFalse(handler.duplicateExited());
        assertFalse(handler.processReverted());
        handler.honestWithdraw(false, false);
        assertEq(rootChain.reserved(address(0)), 0);
    }

    /// @notice Mallory challenges her own invalid exit naming the gas-burning accomplice: the
    ///         share is reserved for it, the rest of the bond is forfeited.
    function test_selfChallenge_costsAllButTheShare() public {
        handler.invalidBlock(0, 1 ether, 0, false, 0);
        handler.selfChallenge(0, 1);
        assertFalse(handler.selfChallengeProfited());
        assertEq(rootChain.withdrawable(handler.accomplices(1), address(0)), rootChain.CHALLENGER_SHARE());
        assertEq(rootChain.bondsHeld(), 0);
        assertEq(handler.liveExits(), 0);
        handler.process(0, 8, 3 weeks);
        assertFalse(handler.cheated(address(0)));
        assertFalse(handler.processReverted());
    }
}
