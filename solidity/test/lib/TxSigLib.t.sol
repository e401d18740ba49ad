// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {CoreHarness} from "../../src/harness/CoreHarness.sol";
import {RootChain} from "../../src/RootChain.sol";
import {StandardExitGame} from "../../src/exits/StandardExitGame.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {TxLib} from "../../src/lib/TxLib.sol";
import {Modules} from "../shared/Modules.sol";

contract TxSigLib_SigningHash_Test is Test {
    CoreHarness internal harness = new CoreHarness();

    function test_signingHash_matchesRootChain_succeeds() public {
        RootChain rc = new RootChain(address(1), address(new StandardExitGame(60, 1)), Modules.inFlight(60, 1));
        bytes memory txBytes =
            TxBuilder.payment2(TxBuilder.position(1000, 2, 1), address(7), address(8), address(9), 1, 2);
        assertEq(harness.signingHash(txBytes, block.chainid, address(rc)), rc.txSigningHash(txBytes));
    }

    function test_signingHash_bindsChainAndContract_succeeds() public view {
        bytes memory txBytes = TxBuilder.payment1(TxBuilder.position(1, 0, 0), address(7), address(0), 1);
        bytes32 h = harness.signingHash(txBytes, 1, address(0xC0FFEE));
        assertTrue(h != harness.signingHash(txBytes, 2, address(0xC0FFEE)));
        assertTrue(h != harness.signingHash(txBytes, 1, address(0xC0FFEF)));
    }

    function test_signingHash_invalidTx_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(TxLib.TxLib_BadLength.selector, 115, 3));
        harness.signingHash(hex"010101", 1, address(1));
    }
}

contract TxSigLib_RecoverSigner_Test is Test {
    CoreHarness internal harness = new CoreHarness();
    uint256 internal constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    function testFuzz_recoverSigner_valid_succeeds(uint256 key, bytes32 digest) public view {
        key = bound(key, 1, N - 1);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        assertEq(harness.recoverSigner(digest, abi.encodePacked(r, s, v)), vm.addr(key));
    }

    function test_recoverSigner_valid_succeeds() public view {
        testFuzz_recoverSigner_valid_succeeds(42, keccak256("d"));
    }

    function test_recoverSigner_highS_reverts() public {
        bytes32 digest = keccak256("d");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(42, digest);
        bytes32 highS = bytes32(N - uint256(s));
        uint8 flipped = v == 27 ? 28 : 27;
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        harness.recoverSigner(digest, abi.encodePacked(r, highS, flipped));
    }

    function test_recoverSigner_badV_reverts() public {
        bytes32 digest = keccak256("d");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(42, digest);
        vm.expectRevert(ECDSA.ECDSAInvalidSignature.selector);
        harness.recoverSigner(digest, abi.encodePacked(r, s, v - 27));
    }

    function test_recoverSigner_zeroSignature_reverts() public {
        vm.expectRevert(ECDSA.ECDSAInvalidSignature.selector);
        harness.recoverSigner(keccak256("d"), new bytes(65));
    }

    function test_recoverSigner_badLength_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, 64));
        harness.recoverSigner(keccak256("d"), new bytes(64));
    }
}
