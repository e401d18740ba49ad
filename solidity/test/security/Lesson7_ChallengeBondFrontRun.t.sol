// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {IStandardExitGame} from "../../src/interfaces/IStandardExitGame.sol";

/// @notice Lesson 7: challenge bonds stolen by front-running.
/// @dev bob broadcasts a challenge naming himself; mallory copies the calldata and gets it
///      mined first. The challenger's share of the bond goes to the `challenger` argument, so bob gets it and bob's own
///      late transaction simply reverts. If the bond went to msg.sender the assertions on the
///      balances fail. What this does NOT stop (see docs/CONTRACTS.md): mallory rewriting the
///      `challenger` argument to herself, since the spend and signature are public.
contract Lesson7_ChallengeBondFrontRun_Test is CommonTest {
    function test_lesson7_replayedCalldataPaysNamedChallenger_succeeds() public {
        address mallory = makeAddr("mallory");
        Committed memory dep = _depositETH(alice, 1 ether);
        uint64 pos = _startExit(alice, dep, 0);
        bytes memory spend = TxBuilder.payment1(pos, bob, address(0), 1 ether);
        bytes memory bobsCall =
            abi.encodeCall(IStandardExitGame.challengeStandardExit, (pos, spend, 0, _sign(aliceKey, spend), bob));

        uint256 bobBefore = bob.balance;
        vm.prank(mallory);
        (bool ok,) = address(rootChain).call(bobsCall);
        assertTrue(ok);
        assertEq(mallory.balance, 0);
        assertEq(bob.balance, bobBefore + CHALLENGER_SHARE);

        vm.prank(bob);
        (ok,) = address(rootChain).call(bobsCall);
        assertFalse(ok); // already challenged
        assertEq(bob.balance, bobBefore + CHALLENGER_SHARE);
    }
}
