#!/bin/sh
# Stands in for Prisma's native schema engine, which this project never downloads. Anything
# that would need it (migrate, db, introspection) has a project tool instead.
echo "This project does not use Prisma's schema engine: author migrations with 'npm run migration:new -- <name>'; the server applies them at start." >&2
exit 1
