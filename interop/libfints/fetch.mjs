// Fetches accounts, balances, transactions and holdings from a FinTS
// PIN/TAN server with lib-fints, and prints what it got as JSON, for
// Kontor's interoperability tests (cmd/kontor/fints_interop_test.go).
//
// Usage: node fetch.mjs URL BANKCODE USER PIN FROM(YYYY-MM-DD)
//
// The sandbox bank tells the TAN in its challenge text ("... lautet
// 123456."); the script reads it from there, as a person would. For a
// decoupled method it polls until the bank reports the approval.

import { FinTSClient, FinTSConfig } from 'lib-fints';

const [url, bankCode, user, pin, fromArg] = process.argv.slice(2);
if (!url || !bankCode || !user || !pin || !fromArg) {
  console.error('usage: node fetch.mjs URL BANKCODE USER PIN FROM');
  process.exit(2);
}

const out = { tanMethods: [], selectedTanMethod: null, tanVersion: null, challenges: [], accounts: [], errors: [] };
const config = FinTSConfig.forFirstTimeUse('KONTORINTEROP', '1.0', url, bankCode, user, pin);
config.debugEnabled = process.env.LIBFINTS_DEBUG === '1';
const client = new FinTSClient(config);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// answerTan completes a response that asks for SCA, with the TAN from the
// challenge text or, for a decoupled method, by polling.
async function answerTan(response, withTan) {
  let polls = 0;
  while (response.success && response.requiresTan) {
    out.challenges.push(response.tanChallenge ?? '');
    const method = config.selectedTanMethod;
    let tan;
    if (!method?.isDecoupled) {
      const m = /lautet (\d+)\./.exec(response.tanChallenge ?? '');
      if (!m) throw new Error(`no TAN in challenge ${JSON.stringify(response.tanChallenge)}`);
      tan = m[1];
    } else {
      if (++polls > 30) throw new Error('decoupled approval did not come');
      await sleep(1000 * (method.decoupled?.waitingSecondsBetweenStatusRequests || 1));
    }
    response = await withTan(response.tanReference, tan);
  }
  if (!response.success) {
    throw new Error('bank refused: ' + JSON.stringify(response.bankAnswers));
  }
  return response;
}

const amount = (n) => (n === undefined || n === null ? null : Number(n).toFixed(2));
const day = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d ?? null);

try {
  let r = await client.synchronize();
  if (!r.success) throw new Error('synchronisation refused: ' + JSON.stringify(r.bankAnswers));
  out.tanMethods = r.bankingInformation.bpd.availableTanMethodIds;
  const method = client.selectTanMethod(out.tanMethods[0]);
  out.selectedTanMethod = method.id;
  out.tanVersion = method.version;
  r = await answerTan(await client.synchronize(), (ref, tan) => client.synchronizeWithTan(ref, tan));

  const from = new Date(fromArg + 'T00:00:00Z');
  for (const acc of r.bankingInformation.upd.bankAccounts) {
    const a = { accountNumber: acc.accountNumber, iban: acc.iban ?? null, type: acc.accountType, owner: acc.holder1 ?? null };
    if (client.canGetAccountBalance(acc.accountNumber)) {
      const b = await answerTan(await client.getAccountBalance(acc.accountNumber), (ref, tan) => client.getAccountBalanceWithTan(ref, tan));
      a.balance = amount(b.balance?.balance);
    }
    if (client.canGetAccountStatements(acc.accountNumber)) {
      const s = await answerTan(await client.getAccountStatements(acc.accountNumber, from), (ref, tan) => client.getAccountStatementsWithTan(ref, tan));
      a.transactions = [];
      for (const st of s.statements ?? []) {
        for (const tx of st.transactions ?? []) {
          a.transactions.push({ amount: amount(tx.amount), date: day(tx.entryDate ?? tx.valueDate), purpose: tx.purpose ?? null });
        }
      }
    }
    if (client.canGetPortfolio(acc.accountNumber)) {
      const p = await answerTan(await client.getPortfolio(acc.accountNumber), (ref, tan) => client.getPortfolioWithTan(ref, tan));
      a.holdings = (p.portfolioStatement?.holdings ?? []).map((h) => ({
        isin: h.isin ?? null,
        name: h.name ?? null,
        quantity: h.amount === undefined ? null : String(h.amount),
        value: amount(h.value),
      }));
      a.totalValue = amount(p.portfolioStatement?.totalValue);
    }
    out.accounts.push(a);
  }
} catch (e) {
  out.errors.push(String(e?.stack ?? e));
}

// process.exitCode rather than process.exit(): a pipe must get all of the
// output before the process ends.
process.stdout.write(JSON.stringify(out) + '\n');
process.exitCode = out.errors.length > 0 ? 1 : 0;
