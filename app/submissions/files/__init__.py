"""A concept's attachments (PDF, images, office files), size-limited, stored in the database."""
