import { relations } from 'drizzle-orm';
import { categories } from './categories.ts';
import { messages } from './chat.ts';
import {
  ledgerAccounts,
  ledgerEntries,
  ledgerTransactions,
  purchases,
  tips,
  tokenPackages,
  withdrawals,
} from './economy.ts';
import { userLevels } from './gamification.ts';
import { regions } from './regions.ts';
import { userFollows } from './social.ts';
import { streamGoals, streams } from './streams.ts';
import { sessions, users } from './users.ts';

export const regionsRelations = relations(regions, ({ one, many }) => ({
  parent: one(regions, {
    fields: [regions.parentId],
    references: [regions.id],
    relationName: 'region_parent',
  }),
  children: many(regions, { relationName: 'region_parent' }),
}));

export const usersRelations = relations(users, ({ one, many }) => ({
  region: one(regions, { fields: [users.regionId], references: [regions.id] }),
  level: one(userLevels, { fields: [users.id], references: [userLevels.userId] }),
  sessions: many(sessions),
  streams: many(streams),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));

export const streamsRelations = relations(streams, ({ one, many }) => ({
  streamer: one(users, { fields: [streams.streamerId], references: [users.id] }),
  category: one(categories, { fields: [streams.categoryId], references: [categories.id] }),
  region: one(regions, { fields: [streams.regionId], references: [regions.id] }),
  goals: many(streamGoals),
}));

export const streamGoalsRelations = relations(streamGoals, ({ one }) => ({
  stream: one(streams, { fields: [streamGoals.streamId], references: [streams.id] }),
}));

export const userFollowsRelations = relations(userFollows, ({ one }) => ({
  follower: one(users, { fields: [userFollows.followerId], references: [users.id] }),
  followee: one(users, { fields: [userFollows.followeeId], references: [users.id] }),
}));

export const messagesRelations = relations(messages, ({ one }) => ({
  sender: one(users, { fields: [messages.senderId], references: [users.id] }),
  stream: one(streams, { fields: [messages.streamId], references: [streams.id] }),
}));

export const ledgerEntriesRelations = relations(ledgerEntries, ({ one }) => ({
  transaction: one(ledgerTransactions, {
    fields: [ledgerEntries.transactionId],
    references: [ledgerTransactions.id],
  }),
  account: one(ledgerAccounts, { fields: [ledgerEntries.accountId], references: [ledgerAccounts.id] }),
}));

export const ledgerTransactionsRelations = relations(ledgerTransactions, ({ many }) => ({
  entries: many(ledgerEntries),
}));

export const purchasesRelations = relations(purchases, ({ one }) => ({
  user: one(users, { fields: [purchases.userId], references: [users.id] }),
  package: one(tokenPackages, { fields: [purchases.packageId], references: [tokenPackages.id] }),
}));

export const tipsRelations = relations(tips, ({ one }) => ({
  stream: one(streams, { fields: [tips.streamId], references: [streams.id] }),
  from: one(users, { fields: [tips.fromUserId], references: [users.id], relationName: 'tips_from' }),
  to: one(users, { fields: [tips.toUserId], references: [users.id], relationName: 'tips_to' }),
}));

export const withdrawalsRelations = relations(withdrawals, ({ one }) => ({
  user: one(users, { fields: [withdrawals.userId], references: [users.id] }),
}));
