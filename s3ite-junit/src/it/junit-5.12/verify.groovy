evaluate(new File(consumerChecks))
