export {
  createSuperadmin,
  SUPERADMIN_MIN_PASSWORD,
  type CreateSuperadminInput,
  type CreatedSuperadmin,
} from './superadmins.ts';
