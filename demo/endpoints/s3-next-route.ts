// Next.js App Router: app/api/upload/route.ts
import { uploads } from './s3-uploads.js'; // in your app: '@/lib/uploads'

export const POST = uploads;
