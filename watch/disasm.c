// SPDX-License-Identifier: MIT
/* One instruction through Capstone (dtl/disasm.h). */
#include <dtl/disasm.h>

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stdio.h>

static csh handle;
static bool opened, failed;

static bool open_capstone(void)
{
	if (opened || failed)
		return opened;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
		failed = true;
		return false;
	}
	cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
	opened = true;
	return true;
}

size_t dtl_disasm_one(const uint8_t *code, size_t len, uint64_t addr, char *out, size_t outlen,
                      unsigned *mem_size)
{
	cs_insn *insn;
	out[0] = 0;
	*mem_size = 0;
	if (!len || !open_capstone() || cs_disasm(handle, code, len, addr, 1, &insn) != 1)
		return 0;
	snprintf(out, outlen, "%s%s%s", insn->mnemonic, insn->op_str[0] ? " " : "", insn->op_str);
	const cs_x86 *x = &insn->detail->x86;
	for (int i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM && x->operands[i].size > *mem_size)
			*mem_size = x->operands[i].size;
	/* the stack's implicit operand: a push, call or pop moves 8 bytes in
	 * 64-bit mode (SDM Vol. 1 6.2.2); with an operand-size prefix, 2 */
	switch (*mem_size ? X86_INS_INVALID : insn->id) {
	case X86_INS_PUSH:
	case X86_INS_PUSHFQ:
	case X86_INS_POP:
	case X86_INS_POPFQ:
	case X86_INS_CALL:
	case X86_INS_RET:
	case X86_INS_LEAVE:
		*mem_size = x->prefix[2] == 0x66 ? 2 : 8;
		break;
	default:
		break;
	}
	size_t n = insn->size;
	cs_free(insn, 1);
	return n;
}
