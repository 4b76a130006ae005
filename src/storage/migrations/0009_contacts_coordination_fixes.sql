-- Review fixes for contacts and coordinator work (issue 4).

-- One activity code per meaning: the practical codes "health", "language" and "work" were
-- near-duplicates of the life domains physical_health, language_selfreliance and
-- participation_work (SPEC appendix), so stored contacts and the values kept by their corrections
-- move to the appendix's codes. A quoted code matches only itself inside the JSON text ('"health"'
-- is not found in '"physical_health"', and quotes inside a note are escaped). A list that held
-- both codes now holds one twice, which reading collapses (contacts/contacts.cpp).
UPDATE contacts SET activities = REPLACE(activities, '"health"', '"physical_health"')
  WHERE activities LIKE '%"health"%';
UPDATE contacts SET activities = REPLACE(activities, '"language"', '"language_selfreliance"')
  WHERE activities LIKE '%"language"%';
UPDATE contacts SET activities = REPLACE(activities, '"work"', '"participation_work"')
  WHERE activities LIKE '%"work"%';
UPDATE contact_revisions SET previous = REPLACE(previous, '"health"', '"physical_health"')
  WHERE previous LIKE '%"health"%';
UPDATE contact_revisions SET previous = REPLACE(previous, '"language"', '"language_selfreliance"')
  WHERE previous LIKE '%"language"%';
UPDATE contact_revisions SET previous = REPLACE(previous, '"work"', '"participation_work"')
  WHERE previous LIKE '%"work"%';

-- When a contact became final: the volunteer's 7-day correction window starts there (a draft
-- stays theirs to finish). For existing contacts: the first correction that replaced a draft
-- (its kept values say "status":"draft"), else when it was logged.
ALTER TABLE contacts ADD COLUMN final_at TEXT;
UPDATE contacts SET final_at = COALESCE(
    (SELECT MIN(r.changed_at) FROM contact_revisions r
      WHERE r.contact_id = contacts.id AND r.previous LIKE '%"status":"draft"%'),
    created_at)
  WHERE status = 'final';

-- Whether marking this attendee present at a basic training set their screening's training date
-- (so unmarking undoes only what it set). Existing rows: the access log says which it set.
ALTER TABLE support_session_attendees ADD COLUMN training_recorded INTEGER NOT NULL DEFAULT 0;
UPDATE support_session_attendees SET training_recorded = 1
  WHERE attended = 1 AND EXISTS (
    SELECT 1 FROM support_sessions s JOIN access_log l
      ON l.event = 'update' AND l.object_type = 'volunteer'
     AND l.object_id = support_session_attendees.volunteer_id
     AND l.details = 'training_completed_on=' || s.held_on || ',support_session=' || s.id
    WHERE s.id = support_session_attendees.session_id);

-- A removed time entry leaves a trace: who removed it and when. Lists, totals and the savings
-- model's minutes skip it.
ALTER TABLE time_entries ADD COLUMN removed_at TEXT;
ALTER TABLE time_entries ADD COLUMN removed_by TEXT REFERENCES users(id);
