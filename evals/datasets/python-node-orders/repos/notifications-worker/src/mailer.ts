import nodemailer from "nodemailer";
import { appConfig } from "./config";
import { logger } from "./logger";

const transport = nodemailer.createTransport(appConfig.smtpUrl);

export interface MailRequest {
  to: string;
  template: "order-shipped" | "loyalty-milestone";
  data: Record<string, unknown>;
}

const SUBJECTS: Record<MailRequest["template"], string> = {
  "order-shipped": "Your order is on its way",
  "loyalty-milestone": "Thank you for shopping with us",
};

export async function sendMail(req: MailRequest): Promise<void> {
  // Templates are rendered by the e-mail service; we only send the payload as JSON.
  const info = await transport.sendMail({
    from: appConfig.fromAddress,
    to: req.to,
    subject: SUBJECTS[req.template],
    text: JSON.stringify(req.data),
    headers: { "X-Template": req.template },
  });
  logger.debug({ messageId: info.messageId, template: req.template }, "mail sent");
}
