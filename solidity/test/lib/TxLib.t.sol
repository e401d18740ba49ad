// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {CoreHarness} from "../../src/harness/CoreHarness.sol";
import {TxLib} from "../../src/lib/TxLib.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";

/// @notice Shared setup: the decoder is reached through CoreHarness (calldata in, like RootChain).
abstract contract TxLib_TestInit is Test {
    CoreHarness internal harness;
    address internal constant A = address(0xA11CE);
    address internal constant T = address(0x70C);

    function setUp() public virtual {
        harness = new CoreHarness();
    }

    /// @notice Re-encodes what the harness decoded.
    function _reencode(bytes memory txBytes) internal view returns (bytes memory) {
        (
            uint8 txType,
            uint64[] memory inputs,
            address[] memory owners,
            address[] memory tokens,
            uint256[] memory amounts,
            bytes32 metadata
        ) = harness.decode(txBytes);
        TxBuilder.Out[] memory outs = new TxBuilder.Out[](owners.length);
        for (uint256 i; i < owners.length; ++i) {
            outs[i] = TxBuilder.Out(owners[i], tokens[i], amounts[i]);
        }
        return TxBuilder.encode(txType, inputs, outs, metadata);
    }

    /// @notice A valid payment built from fuzz inputs.
    function _payment(uint256 seed, uint8 nIn, uint8 nOut) internal pure returns (bytes memory) {
        nIn = uint8(bound(nIn, 1, 4));
        nOut = uint8(bound(nOut, 1, 4));
        uint64[] memory inputs = new uint64[](nIn);
        uint64 prev;
        for (uint256 i; i < nIn; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, "in", i)));
            uint256 blk = bound(r, prev / 1e9 + 1, prev / 1e9 + 1_000_000);
            inputs[i] = TxBuilder.position(blk, (r >> 64) % 65_536, (r >> 128) % 4);
            prev = inputs[i];
        }
        TxBuilder.Out[] memory outs = new TxBuilder.Out[](nOut);
        for (uint256 i; i < nOut; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, "out", i)));
            outs[i] = TxBuilder.Out(address(uint160(r | 1)), address(uint160(r >> 96)), (r >> 160) + 1);
        }
        return TxBuilder.encode(1, inputs, outs, keccak256(abi.encode(seed)));
    }

    function _expectDecodeRevert(bytes memory txBytes, bytes memory err) internal {
        vm.expectRevert(err);
        harness.decode(txBytes);
    }
}

contract TxLib_Decode_Test is TxLib_TestInit {
    function test_decode_payment_succeeds() public view {
        bytes memory txBytes = TxBuilder.payment2(TxBuilder.position(7, 3, 1), A, address(0xB0B), T, 5, 6);
        (
            uint8 txType,
            uint64[] memory inputs,
            address[] memory owners,
            address[] memory tokens,
            uint256[] memory amounts,
            bytes32 metadata
        ) = harness.decode(txBytes);
        assertEq(txType, 1);
        assertEq(inputs.length, 1);
        assertEq(inputs[0], 7 * 1e9 + 3 * 1e4 + 1);
        assertEq(owners[0], A);
        assertEq(owners[1], address(0xB0B));
        assertEq(tokens[1], T);
        assertEq(amounts[0], 5);
        assertEq(amounts[1], 6);
        assertEq(metadata, bytes32(0));
        assertEq(txBytes.length, 3 + 8 + 144 + 32);
    }

    function test_decode_deposit_succeeds() public view {
        bytes memory txBytes = TxBuilder.deposit(42, A, T, 9);
        assertEq(txBytes, harness.depositTx(42, A, T, 9));
        assertEq(_reencode(txBytes), txBytes);
        assertEq(txBytes.length, 107);
    }

    function test_decode_fourInFourOut_succeeds() public view {
        bytes memory txBytes = _payment(7, 4, 4);
        assertEq(txBytes.length, 3 + 32 + 288 + 32);
        assertEq(_reencode(txBytes), txBytes);
    }

    function testFuzz_decode_roundTrip_succeeds(uint256 seed, uint8 nIn, uint8 nOut) public view {
        bytes memory txBytes = _payment(seed, nIn, nOut);
        assertEq(_reencode(txBytes), txBytes);
    }

    function test_decode_roundTrip_succeeds() public view {
        testFuzz_decode_roundTrip_succeeds(123, 2, 3);
    }

    function test_decode_tooShort_reverts() public {
        _expectDecodeRevert("", abi.encodeWithSelector(TxLib.TxLib_TooShort.selector, 0));
        _expectDecodeRevert(hex"0101", abi.encodeWithSelector(TxLib.TxLib_TooShort.selector, 2));
    }

    function test_decode_unknownType_reverts() public {
        _expectDecodeRevert(hex"000101", abi.encodeWithSelector(TxLib.TxLib_UnknownType.selector, 0));
        _expectDecodeRevert(hex"030101", abi.encodeWithSelector(TxLib.TxLib_UnknownType.selector, 3));
        _expectDecodeRevert(hex"ff0000", abi.encodeWithSelector(TxLib.TxLib_UnknownType.selector, 255));
    }

    function test_decode_badInputCount_reverts() public {
        _expectDecodeRevert(hex"010001", abi.encodeWithSelector(TxLib.TxLib_BadInputCount.selector, 0));
        _expectDecodeRevert(hex"010501", abi.encodeWithSelector(TxLib.TxLib_BadInputCount.selector, 5));
        _expectDecodeRevert(hex"020101", abi.encodeWithSelector(TxLib.TxLib_BadInputCount.selector, 1));
    }

    function test_decode_badOutputCount_reverts() public {
        _expectDecodeRevert(hex"010100", abi.encodeWithSelector(TxLib.TxLib_BadOutputCount.selector, 0));
        _expectDecodeRevert(hex"010105", abi.encodeWithSelector(TxLib.TxLib_BadOutputCount.selector, 5));
        _expectDecodeRevert(hex"020002", abi.encodeWithSelector(TxLib.TxLib_BadOutputCount.selector, 2));
        _expectDecodeRevert(hex"020000", abi.encodeWithSelector(TxLib.TxLib_BadOutputCount.selector, 0));
    }

    function test_decode_badLength_reverts() public {
        bytes memory txBytes = TxBuilder.payment1(TxBuilder.position(1, 0, 0), A, T, 1);
        _expectDecodeRevert(
            abi.encodePacked(txBytes, bytes1(0)), abi.encodeWithSelector(TxLib.TxLib_BadLength.selector, 115, 116)
        );
        _expectDecodeRevert(hex"010101", abi.encodeWithSelector(TxLib.TxLib_BadLength.selector, 115, 3));
    }

    function testFuzz_decode_resized_reverts(uint256 seed, uint8 nIn, uint8 nOut, uint256 newLength) public {
        bytes memory txBytes = _payment(seed, nIn, nOut);
        uint256 len = txBytes.length;
        newLength = bound(newLength, 3, len + 64);
        vm.assume(newLength != len);
        bytes memory resized = new bytes(newLength);
        for (uint256 i; i < newLength && i < len; ++i) {
            resized[i] = txBytes[i];
        }
        _expectDecodeRevert(resized, abi.encodeWithSelector(TxLib.TxLib_BadLength.selector, len, newLength));
    }

    function test_decode_resized_reverts() public {
        testFuzz_decode_resized_reverts(5, 1, 2, 50);
    }

    function test_decode_badPosition_reverts() public {
        // blknum 0, txindex 65,536, oindex 4: each invalid.
        uint64[3] memory bad = [uint64(5), uint64(1e9 + 65_536 * 1e4), uint64(1e9 + 4)];
        for (uint256 k; k < 3; ++k) {
            bytes memory txBytes = TxBuilder.payment1(bad[k], A, T, 1);
            _expectDecodeRevert(txBytes, abi.encodeWithSelector(TxLib.TxLib_BadPosition.selector, 0, bad[k]));
        }
    }

    function test_decode_inputsNotIncreasing_reverts() public {
        uint64[] memory inputs = new uint64[](3);
        inputs[0] = TxBuilder.position(1, 0, 0);
        inputs[1] = TxBuilder.position(2, 0, 0);
        inputs[2] = TxBuilder.position(2, 0, 0);
        bytes memory dup = TxBuilder.payment(inputs, TxBuilder.outs1(A, T, 1));
        _expectDecodeRevert(dup, abi.encodeWithSelector(TxLib.TxLib_InputsNotIncreasing.selector, 2));
        inputs[2] = TxBuilder.position(1, 5, 0);
        bytes memory down = TxBuilder.payment(inputs, TxBuilder.outs1(A, T, 1));
        _expectDecodeRevert(down, abi.encodeWithSelector(TxLib.TxLib_InputsNotIncreasing.selector, 2));
    }

    function test_decode_positionCheckedBeforeOrder_reverts() public {
        // Input 1 is both invalid (oindex 4) and smaller than input 0: rule 6 wins.
        uint64[] memory inputs = new uint64[](2);
        inputs[0] = TxBuilder.position(3, 0, 0);
        inputs[1] = uint64(1e9 + 4);
        bytes memory txBytes = TxBuilder.payment(inputs, TxBuilder.outs1(address(0), T, 0));
        _expectDecodeRevert(txBytes, abi.encodeWithSelector(TxLib.TxLib_BadPosition.selector, 1, uint64(1e9 + 4)));
    }

    function test_decode_zeroOwner_reverts() public {
        bytes memory txBytes = TxBuilder.payment2(TxBuilder.position(1, 0, 0), A, address(0), T, 1, 1);
        _expectDecodeRevert(txBytes, abi.encodeWithSelector(TxLib.TxLib_ZeroOwner.selector, 1));
    }

    function test_decode_zeroAmount_reverts() public {
        bytes memory txBytes = TxBuilder.payment2(TxBuilder.position(1, 0, 0), A, A, T, 0, 0);
        _expectDecodeRevert(txBytes, abi.encodeWithSelector(TxLib.TxLib_ZeroAmount.selector, 0));
    }

    function test_decode_ownerCheckedBeforeAmount_reverts() public {
        bytes memory txBytes = TxBuilder.payment1(TxBuilder.position(1, 0, 0), address(0), T, 0);
        _expectDecodeRevert(txBytes, abi.encodeWithSelector(TxLib.TxLib_ZeroOwner.selector, 0));
    }

    /// @notice Canonicity: whatever decodes re-encodes to exactly the same bytes.
    function testFuzz_decode_arbitraryBytesCanonical_succeeds(bytes calldata raw) public view {
        try harness.decode(raw) {
            assertEq(_reencode(raw), raw);
        } catch {}
    }

    function test_decode_arbitraryBytesCanonical_succeeds() public view {
        this.testFuzz_decode_arbitraryBytesCanonical_succeeds(TxBuilder.deposit(1, A, T, 1));
    }

    /// @notice Canonicity under corruption: flipping any byte of a valid payment either makes
    ///         it invalid or yields a different transaction that re-encodes to the new bytes.
    function testFuzz_decode_byteFlip_succeeds(uint256 seed, uint8 nIn, uint8 nOut, uint256 at, uint8 xor) public view {
        bytes memory txBytes = _payment(seed, nIn, nOut);
        at = bound(at, 0, txBytes.length - 1);
        xor = uint8(bound(xor, 1, 255));
        txBytes[at] = bytes1(uint8(txBytes[at]) ^ xor);
        try harness.decode(txBytes) {
            assertEq(_reencode(txBytes), txBytes);
        } catch (bytes memory err) {
            bytes4 sel = bytes4(err);
            assertTrue(
                sel == TxLib.TxLib_UnknownType.selector || sel == TxLib.TxLib_BadInputCount.selector
                    || sel == TxLib.TxLib_BadOutputCount.selector || sel == TxLib.TxLib_BadLength.selector
                    || sel == TxLib.TxLib_BadPosition.selector || sel == TxLib.TxLib_InputsNotIncreasing.selector
                    || sel == TxLib.TxLib_ZeroOwner.selector || sel == TxLib.TxLib_ZeroAmount.selector
            );
        }
    }

    function test_decode_byteFlip_succeeds() public view {
        testFuzz_decode_byteFlip_succeeds(9, 2, 2, 0, 0x03);
    }
}
