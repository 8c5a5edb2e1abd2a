-- What a message was promised when it was posted: sent to the facilitator only, and
-- the anonymity then in force. Later changes to the chat settings never loosen these.
ALTER TABLE messages ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN anonymity TEXT NOT NULL DEFAULT 'named';
