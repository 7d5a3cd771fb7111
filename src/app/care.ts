/**
 * Debtor care: the dossier, tasks and "my work today", promises to pay, disputes, payment plans,
 * the status table, segments, credit limit and conditions, payment behaviour. One module per
 * subject in app/care/; this file is the one import for the edges and the jobs.
 */
export { addCall, addEntry, addMailLog, addNote, dossier, editEntry, type DossierEntry, type EntryInput } from './care/dossier.ts';
export { assignTask, assignees, completeTask, createTask, tasks, updateTask, workToday, type TaskInput, type WorkEntry } from './care/tasks.ts';
export { cancelPromise, changePromise, checkPromises, createPromise, promises, type PromiseChange, type PromiseInput } from './care/promises.ts';
export { addDisputeReason, disputeReasons, disputes, findDispute, openDispute, resendInvoice, resolveDispute, type DisputeInput, type ResolveInput } from './care/disputes.ts';
export { INTEREST_POLICIES, cancelPlan, checkPlans, createPlan, findPlan, planLetterDocument, plans, previewPlan, type PlanDraft, type PlanInput } from './care/plans.ts';
export { changeStatus, saveStatuses, statuses } from './care/statuses.ts';
export { evaluateSegments, explainSegment, removeSegment, saveSegment, segments, setTags } from './care/segments.ts';
export { behaviourOf, creditOf, debtorShow, setCredit, type Credit, type DebtorHeader } from './care/debtor.ts';
export { runCareChecks, type CareCheckResult } from './care/checks.ts';
export { careLimitsOf, careSettingsOf } from './care/common.ts';
