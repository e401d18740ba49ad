// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title TxBuilder
/// @notice Test-side reference encoder and Merkle tree, written independently of the
///         libraries under test (plain abi.encodePacked and keccak256), per docs/SPEC.md.
library TxBuilder {
    /// @notice One output.
    struct Out {
        address owner;
        address token;
        uint256 amount;
    }

    /// @notice Canonical bytes of a transaction.
    function encode(uint8 txType, uint64[] memory inputs, Out[] memory outputs, bytes32 metadata)
        internal
        pure
        returns (bytes memory b)
    {
        b = abi.encodePacked(txType, uint8(inputs.length), uint8(outputs.length));
        for (uint256 i; i < inputs.length; ++i) {
            b = abi.encodePacked(b, inputs[i]);
        }
        for (uint256 i; i < outputs.length; ++i) {
            b = abi.encodePacked(b, outputs[i].owner, outputs[i].token, outputs[i].amount);
        }
        b = abi.encodePacked(b, metadata);
    }

    /// @notice A payment spending `inputs` into `outputs`.
    function payment(uint64[] memory inputs, Out[] memory outputs) internal pure returns (bytes memory) {
        return encode(1, inputs, outputs, bytes32(0));
    }

    /// @notice A 1-input, 1-output payment.
    function payment1(uint64 input, address owner, address token, uint256 amount) internal pure returns (bytes memory) {
        return payment(one(input), outs1(owner, token, amount));
    }

    /// @notice A 1-input, 2-output payment (the usual "send with change").
    function payment2(uint64 input, address to, address change, address token, uint256 amount, uint256 rest)
        internal
        pure
        returns (bytes memory)
    {
        Out[] memory o = new Out[](2);
        o[0] = Out(to, token, amount);
        o[1] = Out(change, token, rest);
        return payment(one(input), o);
    }

    /// @notice The DEPOSIT transaction of a deposit block.
    function deposit(uint256 blknum, address owner, address token, uint256 amount)
        internal
        pure
        returns (bytes memory)
    {
        return encode(2, new uint64[](0), outs1(owner, token, amount), bytes32(blknum));
    }

    /// @notice A one-element input array.
    function one(uint64 pos) internal pure returns (uint64[] memory a) {
        a = new uint64[](1);
        a[0] = pos;
    }

    /// @notice A one-element output array.
    function outs1(address owner, address token, uint256 amount) internal pure returns (Out[] memory o) {
        o = new Out[](1);
        o[0] = Out(owner, token, amount);
    }

    /// @notice A position.
    function position(uint256 blknum, uint256 txindex, uint256 oindex) internal pure returns (uint64) {
        return uint64(blknum * 1_000_000_000 + txindex * 10_000 + oindex);
    }

    /// @notice Leaf hash keccak256(0x00 ‖ tx).
    function leaf(bytes memory txBytes) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x00), txBytes));
    }

    /// @notice Inner node keccak256(0x01 ‖ l ‖ r).
    function node(bytes32 l, bytes32 r) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x01), l, r));
    }

    /// @notice Z[0..16], roots of empty subtrees.
    function zeros() internal pure returns (bytes32[17] memory z) {
        for (uint256 k; k < 16; ++k) {
            z[k + 1] = node(z[k], z[k]);
        }
    }

    /// @notice Root and proof of `index` for a block of `leaves` (rest empty).
    function rootAndProof(bytes32[] memory leaves, uint256 index)
        internal
        pure
        returns (bytes32 root, bytes memory proof)
    {
        bytes32[17] memory z = zeros();
        bytes32[] memory level = leaves;
        uint256 idx = index;
        for (uint256 k; k < 16; ++k) {
            uint256 sib = idx ^ 1;
            proof = abi.encodePacked(proof, sib < level.length ? level[sib] : z[k]);
            uint256 n = (level.length + 1) / 2;
            if (n == 0) n = 1;
            bytes32[] memory next = new bytes32[](n);
            for (uint256 i; i < n; ++i) {
                bytes32 l = 2 * i < level.length ? level[2 * i] : z[k];
                bytes32 r = 2 * i + 1 < level.length ? level[2 * i + 1] : z[k];
                next[i] = node(l, r);
            }
            level = next;
            idx >>= 1;
        }
        root = level[0];
    }

    /// @notice Root and proof of the only transaction of a one-transaction block.
    function single(bytes memory txBytes) internal pure returns (bytes32 root, bytes memory proof) {
        bytes32[] memory leaves = new bytes32[](1);
        leaves[0] = leaf(txBytes);
        return rootAndProof(leaves, 0);
    }
}
