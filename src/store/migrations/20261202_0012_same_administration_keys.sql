-- A debtor named in a request body (of a promise, dispute, payment plan, task or timeline entry) is
-- checked against the administration by the statement that stores it: the foreign key includes
-- administration_id, as items already do (debtors has UNIQUE (administration_id, id)).
ALTER TABLE promises ADD CONSTRAINT promises_debtor_same_administration
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id);
ALTER TABLE disputes ADD CONSTRAINT disputes_debtor_same_administration
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id);
ALTER TABLE payment_plans ADD CONSTRAINT payment_plans_debtor_same_administration
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id);
ALTER TABLE tasks ADD CONSTRAINT tasks_debtor_same_administration
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id);
ALTER TABLE events ADD CONSTRAINT events_debtor_same_administration
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id);
