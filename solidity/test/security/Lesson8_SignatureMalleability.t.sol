// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {IStandardExitGame} from "../../src/interfaces/IStandardExitGame.sol";

/// @notice Lesson 8: signature malleability and ecrecover returning zero.
/// @dev (a) For a valid (r, s, v) the twin (r, n − s, v ^ 1) recovers the same signer; the
///      low-s rule rejects it, so one spend has one signature (an indexer keying challenges by
///      signature cannot be fooled). Without the s check the twin is accepted and
///      `expectRevert` fails. (b) A signature that ecrecover maps to address(0) must be
///      rejected as invalid, never compared with an owner; without that check the revert
///      would be BadChallengeSignature(0, owner) and the selector check fails.
contract Lesson8_SignatureMalleability_Test is CommonTest {
    uint256 internal constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    uint64 internal pos;
    bytes internal spend;

    function setUp() public override {
        super.setUp();
        pos = _startExit(alice, _depositETH(alice, 1 ether), 0);
        spend = TxBuilder.payment1(pos, bob, address(0), 1 ether);
    }

    function test_lesson8_highSTwin_reverts() public {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, rootChain.txSigningHash(spend));
        bytes memory twin = abi.encodePacked(r, bytes32(N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        // The twin really recovers alice with a bare ecrecover.
        assertEq(ecrecover(rootChain.txSigningHash(spend), v == 27 ? 28 : 27, r, bytes32(N - uint256(s))), alice);
        vm.expectRevert(IStandardExitGame.RootChain_InvalidSignature.selector);
        rootChain.challengeStandardExit(pos, spend, 0, twin, carol);
        assertEq(_statusAt(pos), 1);
    }

    function test_lesson8_zeroRecovery_reverts() public {
        bytes memory garbage = abi.encodePacked(bytes32(0), bytes32(0), uint8(27));
        assertEq(ecrecover(rootChain.txSigningHash(spend), 27, 0, 0), address(0));
        vm.expectRevert(IStandardExitGame.RootChain_InvalidSignature.selector);
        rootChain.challengeStandardExit(pos, spend, 0, garbage, carol);
    }

    function test_lesson8_vOutsideRange_reverts() public {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, rootChain.txSigningHash(spend));
        vm.expectRevert(IStandardExitGame.RootChain_InvalidSignature.selector);
        rootChain.challengeStandardExit(pos, spend, 0, abi.encodePacked(r, s, v + 2), carol);
    }
}
